// @vt/engine
export {};
