// @vt/rpc
export {};
