import { readClusterState, writeClusterState } from "./cluster-state.js";
import { isAlive, stopProcess, type ProcessRecord } from "./managed-process.js";

/** Stop order by name prefix: clients of a service go before the service. */
const STOP_ORDER = ["vtgate", "vttablet-", "vtctld", "mariadbd-", "etcd"];

function rank(name: string): number {
  const i = STOP_ORDER.findIndex((p) => name === p || (p.endsWith("-") && name.startsWith(p)));
  return i < 0 ? 0 : i;
}

/**
 * Stops processes group by group (vtgate, vttablets, vtctld, mariadbds, etcd; each group in parallel),
 * SIGTERM first and SIGKILL after `timeoutMs`.
 */
export async function stopRecords(
  records: readonly ProcessRecord[], log: (line: string) => void = () => {}, timeoutMs = 15_000,
): Promise<void> {
  const groups = new Map<number, ProcessRecord[]>();
  for (const r of records) groups.set(rank(r.name), [...(groups.get(rank(r.name)) ?? []), r]);
  for (const g of [...groups.keys()].sort((a, b) => a - b)) {
    await Promise.all(groups.get(g)!.map(async (r) => {
      if (!isAlive(r)) return;
      log(`stopping ${r.name} (pid ${r.pid})`);
      await stopProcess(r, timeoutMs);
    }));
  }
}

/**
 * Stops the cluster recorded in `<dataDir>/cluster.json` (if any) and clears its process list, keeping the
 * rest of the state (which keyspaces were initialized). Returns how many processes were running.
 */
export async function stopCluster(dataDir: string, log: (line: string) => void = () => {}): Promise<number> {
  const state = readClusterState(dataDir);
  if (state === undefined) return 0;
  const running = state.processes.filter(isAlive).length;
  await stopRecords(state.processes, log);
  writeClusterState({ ...state, processes: [] });
  return running;
}
