// @vt/vindexes: vindex interfaces, the VindexRegistry of built-in vindex types, and the VSchema builder that turns
// Vitess-format VSchema JSON / SrvVSchema into the immutable snapshot the planner and engine read.
export type * from "./vschema-types.js";
