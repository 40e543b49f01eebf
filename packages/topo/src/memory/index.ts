// @vt/topo/memory: an in-process topo backend for unit tests, with etcd's semantics (revisions as versions,
// implicit directories, lease-based locks) and failure injection.
export { MemoryTopoFactory, type MemoryTopoOp } from "./memory-topo-factory.js";
export { MemoryTopoConn } from "./memory-topo-conn.js";
