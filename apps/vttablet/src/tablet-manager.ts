import type { RpcServer } from "@vt/rpc";
import { TabletManager } from "@vt/proto/tabletmanagerservice";
import { SqlError } from "@vt/errors";
import { resultToProto } from "@vt/sqltypes";
import type { ConnPool } from "./conn-pool.js";
import { mergeResults } from "./merge-results.js";
import { quoteIdent, rowsAsObjects } from "./result-rows.js";
import type { TabletServer } from "./tablet-server.js";

const dec = new TextDecoder();

function limitRows<T extends { rows: unknown[] }>(r: T, maxRows: bigint): T {
  if (maxRows > 0n && BigInt(r.rows.length) > maxRows) {
    throw new SqlError(10001, "HY000", `Row count exceeded ${maxRows}`, "RESOURCE_EXHAUSTED");
  }
  return r;
}

/**
 * Adds the TabletManager service. Implemented: Ping, Sleep, ExecuteFetchAsDba, ExecuteFetchAsApp, SetReadOnly,
 * SetReadWrite, ChangeType, RefreshState, StartReplication, StopReplication, PrimaryPosition. The rest answer
 * UNIMPLEMENTED.
 */
export function addTabletManager(server: RpcServer, ctx: { dbaPool: ConnPool; ts: TabletServer }): void {
  const { dbaPool, ts } = ctx;
  const dba = (sql: string) => dbaPool.with((c) => c.query(sql));
  server.serve(TabletManager, {
    ping: async (req) => ({ payload: req.payload }),
    sleep: async (req) => { await new Promise((r) => setTimeout(r, Number(req.duration / 1_000_000n))); return {}; },
    executeFetchAsDba: async (req) => {
      const pre = req.dbName !== "" ? `USE ${quoteIdent(req.dbName)}; ` : "";
      const off = req.disableBinlogs ? "SET SESSION sql_log_bin = 0; " : "";
      const on = req.disableBinlogs ? "; SET SESSION sql_log_bin = 1" : "";
      const results = await dba(pre + off + dec.decode(req.query) + on);
      const skip = (pre ? 1 : 0) + (off ? 1 : 0);
      const mine = results.slice(skip, on ? results.length - 1 : results.length);
      return { result: resultToProto(limitRows(mergeResults(mine.length > 0 ? mine : results), req.maxRows)) };
    },
    executeFetchAsApp: async (req) => {
      const r = await ts.execute(undefined, dec.decode(req.query), {}, 0n);
      return { result: resultToProto(limitRows(r, req.maxRows)) };
    },
    setReadOnly: async () => { await dba("SET GLOBAL read_only = 1"); return {}; },
    setReadWrite: async () => { await dba("SET GLOBAL read_only = 0"); return {}; },
    changeType: async (req) => { ts.setState({ tabletType: req.tabletType }); return {}; },
    refreshState: async () => ({}),
    startReplication: async () => { await dba("START SLAVE"); return {}; },
    stopReplication: async () => { await dba("STOP SLAVE"); return {}; },
    primaryPosition: async () => {
      const [r] = await dba("SELECT @@GLOBAL.gtid_binlog_pos AS pos");
      return { position: `MariaDB/${(r ? rowsAsObjects(r)[0]?.["pos"] : "") ?? ""}` };
    },
  });
}
