// @vt/localcluster: the launcher behind `npm start` / `npm stop` / `npm run clean`, and the same code path for
// end-to-end tests. Phases: parse a cluster spec (cluster-spec.ts) → plan ports (port-plan.ts) → start etcd,
// MariaDB instances and the apps as detached processes (managed-process.ts) → bootstrap topo/schema/VSchema
// through vtctld → record pids in <dataDir>/cluster.json so `stop` can end them all.
import { fileURLToPath } from "node:url";
export {
  parseClusterSpec, loadClusterSpec, tabletAlias, ClusterSpecError,
  type ClusterSpec, type KeyspaceSpec, type ShardSpec, type TabletSpec, type TabletTypeName, type SpecPorts,
} from "./cluster-spec.js";
export { renderMyCnf, instancePaths, type MyCnfOptions } from "./my-cnf.js";
export {
  fixedPortPlan, autoPortPlan, defaultPortSource, getFreePorts, isPortOpen, portAt, withPorts, planPorts,
  type PortPlan, type TabletPorts, type PortSlot,
} from "./port-plan.js";
export {
  pickFreePorts, osFreePorts, canBind, autoPortRanges, ephemeralPortRange, parsePortRange,
  type PortSource, type PortRange, type PickPortsOptions,
} from "./port-picker.js";
export { PortInUseError } from "./port-in-use-error.js";
export {
  startProcess, stopProcess, killProcess, isAlive, logTail, ProcessStartError,
  type ProcessSpec, type ProcessRecord, type ReadyCheck,
} from "./managed-process.js";
export { etcdProcessSpec, etcdHealthy, type EtcdOptions } from "./etcd-instance.js";
export { prepareMariaDb, mariaDbProcessSpec, instanceDir, type MariaDbOptions } from "./mariadb-instance.js";
export { readClusterState, writeClusterState, statePath, type ClusterState } from "./cluster-state.js";
export {
  startCluster, ClusterRunningError, AUTO_PORT_ATTEMPTS, type StartClusterOptions, type LocalCluster, type ClusterTablet,
} from "./start-cluster.js";
export { stopCluster, stopRecords } from "./stop-cluster.js";
export { splitSql, type VtctldApi, type VtctldApiFactory } from "./vtctld-api.js";
export { ensureSelfSignedCert, type TlsFiles } from "./tls-cert.js";
export { REPO_ROOT, topoFlags, vtctldSpec, vttabletSpec, vtgateSpec, type VttabletOptions } from "./app-processes.js";

/** The default cluster spec (the seed's lab): examples/local.json. */
export const DEFAULT_SPEC_FILE: string = fileURLToPath(new URL("../examples/local.json", import.meta.url));
