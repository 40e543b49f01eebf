// @vt/localcluster
export {};
