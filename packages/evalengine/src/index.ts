// @vt/evalengine
export {};
