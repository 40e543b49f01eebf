// @vt/topo
export {};
