// @vt/topo/etcd: the etcd2 TopoConn backend over etcd3 (versions = mod revisions, lease-based locks, resumable
// watches).
export { EtcdTopoConn, type EtcdTopoConnOptions } from "./etcd-topo-conn.js";
