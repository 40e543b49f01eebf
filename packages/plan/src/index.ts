// @vt/plan
export {};
