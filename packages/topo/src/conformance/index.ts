// @vt/topo/conformance: the vitest suite every TopoConn backend must pass (CRUD + versions, listDir, locks,
// watches incl. a backend restart, elections).
export { runTopoConformance } from "./run-topo-conformance.js";
export type { ConformanceTarget } from "./conformance-target.js";
