// @vt/planner
export {};
