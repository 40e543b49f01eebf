// @vt/testkit
export {};
