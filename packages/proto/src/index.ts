// @vt/proto
export {};
