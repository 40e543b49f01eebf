import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProcessRecord } from "./managed-process.js";

/** What `npm stop` needs to find a running cluster: pids (start order) and the endpoints. */
export interface ClusterState {
  readonly dataDir: string;
  readonly processes: ProcessRecord[];
  readonly endpoints: {
    readonly etcd: string;
    readonly vtctld: string;
    readonly vtgateMysqlPort: number;
    readonly vtgateGrpc: string;
  };
  /** Keyspaces whose schema and VSchema were applied (first start only). */
  readonly initializedKeyspaces: string[];
}

/** Path of the state file inside a data dir. */
export function statePath(dataDir: string): string {
  return join(dataDir, "cluster.json");
}

/** Reads cluster.json, or undefined when there is none (or it is unreadable). */
export function readClusterState(dataDir: string): ClusterState | undefined {
  const p = statePath(dataDir);
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

/** Writes cluster.json atomically (temp file + rename). */
export function writeClusterState(state: ClusterState): void {
  const p = statePath(state.dataDir);
  writeFileSync(`${p}.tmp`, JSON.stringify(state, null, 2) + "\n");
  renameSync(`${p}.tmp`, p);
}
