// @vt/tablet-client
export {};
