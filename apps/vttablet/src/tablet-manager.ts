import type { CallContext, RpcServer } from "@vt/rpc";
import { TabletManager } from "@vt/proto/tabletmanagerservice";
import { SqlError } from "@vt/errors";
import { resultToProto } from "@vt/sqltypes";
import { applySchema } from "./apply-schema.js";
import type { ConnPool } from "./conn-pool.js";
import { mergeResults } from "./merge-results.js";
import { getPermissions } from "./permissions.js";
import {
  primaryPosition, primaryStatus, promoteToPrimary, replicationStatus, resetReplication, setReplicationSource,
  waitForPosition,
} from "./replication-actions.js";
import { quoteIdent } from "./result-rows.js";
import { loadSchema } from "./schema-loader.js";
import { mayChangeSchema } from "./schema-engine.js";
import type { TabletServer } from "./tablet-server.js";

const dec = new TextDecoder();
const PRIMARY = 1;
const REPLICA = 2;

function limitRows<T extends { rows: unknown[] }>(r: T, maxRows: bigint): T {
  if (maxRows > 0n && BigInt(r.rows.length) > maxRows) {
    throw new SqlError(10001, "HY000", `Row count exceeded ${maxRows}`, "RESOURCE_EXHAUSTED");
  }
  return r;
}

/** What the TabletManager service acts on. */
export interface TabletManagerContext {
  /** Admin (root) connections to this tablet's MariaDB. */
  dbaPool: ConnPool;
  ts: TabletServer;
  /** The tablet's database. */
  dbName: string;
  /** Replication credentials used when pointing this instance at a new source. */
  repl?: { user: string; password: string };
  /** MariaDB address of another tablet (from topo), for SetReplicationSource. */
  mysqlAddressOf?: (alias: { cell: string; uid: number }) => Promise<{ host: string; port: number }>;
  /** Publishes a tablet type change (the tablet record in topo); called after the local state changed. */
  onTypeChange?: (tabletType: number) => Promise<void>;
  /** Default wait for WaitForPosition/ReloadSchema(wait_position), in ms. Default 30 s. */
  waitTimeoutMs?: number;
}

/**
 * Adds the TabletManager service: Ping, Sleep, ExecuteFetchAsDba/App, SetReadOnly/ReadWrite, ChangeType,
 * RefreshState, GetSchema, ReloadSchema, ApplySchema, GetPermissions, ReplicationStatus, PrimaryStatus,
 * PrimaryPosition, WaitForPosition, Stop/StartReplication, ResetReplication, SetReplicationSource, InitPrimary,
 * PromoteReplica, DemotePrimary, all with real MariaDB GTID behaviour. The rest answer UNIMPLEMENTED.
 */
export function addTabletManager(server: RpcServer, ctx: TabletManagerContext): void {
  const { dbaPool, ts } = ctx;
  const dba = (sql: string) => dbaPool.with((c) => c.query(sql));
  /** The wait budget of a call: the default, cut short by the call's deadline (leaving time to answer). */
  const waitMs = (c: CallContext): number => {
    const d = c.deadline;
    const until = d instanceof Date ? d.getTime() : d;
    const left = Number.isFinite(until) ? until - Date.now() - 100 : Infinity;
    return Math.max(1, Math.min(ctx.waitTimeoutMs ?? 30_000, left));
  };
  const changeType = async (tabletType: number): Promise<void> => {
    const becomesPrimary = tabletType === PRIMARY && ts.state.tabletType !== PRIMARY;
    ts.setState({ tabletType, serving: true, primaryTermStartTime: tabletType === PRIMARY
      ? (becomesPrimary ? Math.floor(Date.now() / 1000) : ts.state.primaryTermStartTime) : 0 });
    if (tabletType !== PRIMARY) ts.sequences.reset();
    await ctx.onTypeChange?.(tabletType);
  };
  server.serve(TabletManager, {
    ping: (req) => ({ payload: req.payload }),
    sleep: async (req) => { await new Promise((r) => setTimeout(r, Number(req.duration / 1_000_000n))); return {}; },
    executeFetchAsDba: async (req) => {
      const pre = req.dbName !== "" ? `USE ${quoteIdent(req.dbName)}; ` : "";
      const off = req.disableBinlogs ? "SET SESSION sql_log_bin = 0; " : "";
      const on = req.disableBinlogs ? "; SET SESSION sql_log_bin = 1" : "";
      const results = await dba(pre + off + dec.decode(req.query) + on);
      if (mayChangeSchema(dec.decode(req.query))) ts.noteSchemaChange();
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
    changeType: async (req) => { await changeType(req.tabletType); return {}; },
    refreshState: () => ({}),
    getSchema: async (req) => ({
      schemaDefinition: await dbaPool.with((c) => loadSchema(c, ctx.dbName, req)),
    }),
    reloadSchema: async (req, call) => {
      if (req.waitPosition !== "") {
        await dbaPool.with((c) => waitForPosition(c, req.waitPosition, waitMs(call), ts.state.tabletType === PRIMARY));
      }
      await dbaPool.with((c) => loadSchema(c, ctx.dbName, { tableSchemaOnly: true }));
      ts.noteSchemaChange();
      return {};
    },
    applySchema: async (req) => {
      try {
        return await dbaPool.with((c) => applySchema(c, ctx.dbName, req));
      } finally {
        ts.noteSchemaChange();
      }
    },
    getPermissions: async () => ({ permissions: await dbaPool.with(getPermissions) }),
    replicationStatus: async () => ({ status: await dbaPool.with(replicationStatus) }),
    primaryStatus: async () => ({ status: await dbaPool.with(primaryStatus) }),
    primaryPosition: async () => ({ position: await dbaPool.with(primaryPosition) }),
    waitForPosition: async (req, call) => {
      await dbaPool.with((c) => waitForPosition(c, req.position, waitMs(call), ts.state.tabletType === PRIMARY));
      return {};
    },
    startReplication: async () => { await dba("START SLAVE"); return {}; },
    stopReplication: async () => { await dba("STOP SLAVE"); return {}; },
    resetReplication: async () => { await dbaPool.with(resetReplication); return {}; },
    setReplicationSource: async (req, call) => {
      if (req.parent === undefined) throw new SqlError(1105, "HY000", "parent is required", "INVALID_ARGUMENT");
      if (ctx.mysqlAddressOf === undefined || ctx.repl === undefined) {
        throw new SqlError(1105, "HY000", "SetReplicationSource needs topo and replication credentials", "FAILED_PRECONDITION");
      }
      const src = await ctx.mysqlAddressOf(req.parent);
      const wasRunning = await dbaPool.with(async (c) => {
        const st = await replicationStatus(c).catch(() => undefined);
        return st !== undefined && st.ioState === 3 && st.sqlState === 3;
      });
      await dbaPool.with((c) => setReplicationSource(c, { ...src, ...ctx.repl! }, wasRunning || req.forceStartReplication));
      if (ts.state.tabletType === PRIMARY) await changeType(REPLICA);
      else if (!ts.state.serving) ts.setState({ serving: true });
      if (req.waitPosition !== "") {
        await dbaPool.with((c) => waitForPosition(c, req.waitPosition, waitMs(call), false));
      }
      return {};
    },
    initPrimary: async () => {
      const position = await dbaPool.with(promoteToPrimary);
      await changeType(PRIMARY);
      return { position };
    },
    promoteReplica: async () => {
      const position = await dbaPool.with(promoteToPrimary);
      await changeType(PRIMARY);
      return { position };
    },
    demotePrimary: async () => {
      ts.setState({ serving: false });
      await ts.rollbackAll("tablet demoted");
      await dba("SET GLOBAL read_only = 1");
      return { primaryStatus: await dbaPool.with(primaryStatus) };
    },
  });
}
