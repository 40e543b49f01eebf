// @vt/key
export {};
