// @vt/topo/testing: helpers for tests that need a real etcd (start on free ports in a temp dir, restart, stop).
export { startEtcd, type TestEtcd, type StartEtcdOptions } from "./start-etcd.js";
export { freePort } from "./free-port.js";
