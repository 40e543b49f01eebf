import type { RpcServer } from "@vt/rpc";
import type { TopoServer } from "@vt/topo";
import { ConnPool } from "./conn-pool.js";
import type { DbConnFactory } from "./db-conn.js";
import { startGrpcServer, type StartedServer } from "./grpc-server.js";
import { HealthStreamer } from "./health-streamer.js";
import { mariaDbSchemaSource, SchemaEngine } from "./schema-engine.js";
import { createAppUser, initPrimaryMysql, initReplicaMysql } from "./mysql-init.js";
import { replicationLag, startReplicationFrom } from "./replication.js";
import { TabletServer } from "./tablet-server.js";
import { nowTime, publishPrimary, registerTablet, startupTabletType, waitForPrimary, type TabletRecord } from "./topo-register.js";
import { setReplicationSource } from "./replication-actions.js";
import type { TabletManagerContext } from "./tablet-manager.js";
import type { TabletAlias } from "@vt/proto/topodata";
import { TxPool } from "./tx-pool.js";
import { TwoPc } from "./two-pc.js";
import { DtResolver } from "./dt-resolver.js";
import { ParticipantConns } from "./participant-conns.js";
import { MuxSocketServer } from "./mux-socket-server.js";
import { killStatement } from "./kill-statement.js";
import { QueryCalls } from "./query-service.js";

/** Everything a vttablet process is configured with (from flags, in main.ts). */
export interface VttabletConfig {
  tablet: TabletRecord;
  grpcHost: string;
  /** 0 = OS-assigned. */
  grpcPort: number;
  dbName: string;
  replUser: string;
  replPassword: string;
  globalServerAddress: string;
  poolSize: number;
  /** --queryserver-config-pipeline-depth (ConnPoolOptions.pipelineDepth of the query pools); default 1. */
  pipelineDepth?: number;
  streamPoolSize: number;
  txCap: number;
  dbaPoolSize: number;
  txPoolTimeoutMs: number;
  txTimeoutMs: number;
  maxResultSize: number;
  streamBufferSize: number;
  healthCheckIntervalMs: number;
  /** --queryserver-config-query-timeout in ms (0 = none): longer queries are killed with 3024. */
  queryTimeoutMs?: number;
  /** User of the query/stream/transaction pools (Vitess's vt_app; created by the tablet). Default "vt_app". */
  appUser?: string;
  appPassword?: string;
  /** --twopc_abandon_age in ms: distributed transactions older than this are resolved by this tablet (as MM). */
  twopcAbandonAgeMs?: number;
  /** Port of the plain-TCP mux listener (port_map "mux"): 0 or unset = OS-assigned; -1 = none. */
  muxPort?: number;
  /** --queryserver-config-schema-change-signal (default true): report changed tables in StreamHealth. */
  schemaChangeSignal?: boolean;
  /** --queryserver-config-schema-reload-time in ms (default 30 min; 0 = only after DDL/ApplySchema/ReloadSchema). */
  schemaReloadIntervalMs?: number;
}

/**
 * How the tablet connects to MariaDB: `dba` as an admin (root) for init, TabletManager and KILL; `app` as the app
 * user for the query, stream and transaction pools. `app` receives the user to log in as, and `foundRows` for the
 * found-rows pools (connections opened with CLIENT_FOUND_ROWS).
 */
export interface TabletConnFactories {
  dba: DbConnFactory;
  app: (opts: { database: string; user: string; password: string; foundRows?: boolean }) => ReturnType<DbConnFactory>;
}

/** A running tablet. */
export interface Vttablet {
  readonly grpcPort: number;
  /** The plain-TCP mux port (0 when disabled). */
  readonly muxPort: number;
  readonly tabletServer: TabletServer;
  /** Resolves when replication was set up (replicas) or at once (primary); rejects if setup failed. */
  readonly replicationReady: Promise<void>;
  /** Graceful stop: stop serving, roll back transactions, close pools and the gRPC server. Topo is left as is. */
  stop(): Promise<void>;
}

/**
 * Starts a tablet against an already running MariaDB: prepares MariaDB for the tablet type, registers in topo,
 * serves gRPC, and (replicas) points replication at the shard primary found in topo, retrying until it exists.
 * `conns` opens MariaDB connections as admin and as the app user (main.ts passes mysql2). `addServices` adds e.g. TabletManager.
 */
export async function startVttablet(cfg: VttabletConfig, topo: TopoServer, conns: TabletConnFactories,
  addServices?: (server: RpcServer, ctx: TabletManagerContext) => void): Promise<Vttablet> {
  const dbaPool = new ConnPool({ name: "dba_conn_pool", capacity: cfg.dbaPoolSize, waitTimeoutMs: 0, factory: () => conns.dba() });
  const startup = await startupTabletType(topo, cfg.tablet);
  if (startup.tabletType !== cfg.tablet.tabletType) {
    process.stderr.write(`vttablet: the shard record names ${startup.demoted ? "another tablet" : "this tablet"} as primary; ` +
      `starting as ${startup.tabletType === 1 ? "PRIMARY" : "REPLICA"} instead of --init_tablet_type\n`);
  }
  const tablet: TabletRecord = { ...cfg.tablet, tabletType: startup.tabletType };
  const isPrimary = tablet.tabletType === 1;
  const appUser = cfg.appUser ?? "vt_app";
  const appPassword = cfg.appPassword ?? "";
  await dbaPool.with(async (db) => {
    await (isPrimary ? initPrimaryMysql(db, cfg.dbName, cfg.replUser, cfg.replPassword) : initReplicaMysql(db, cfg.dbName));
    await createAppUser(db, cfg.dbName, appUser, appPassword);
  });
  const appFactory = (foundRows: boolean) => () => conns.app({ database: cfg.dbName, user: appUser, password: appPassword,
    ...(foundRows ? { foundRows } : {}) });
  const pool = (name: string, capacity: number, waitTimeoutMs = 0, foundRows = false, pipelineDepth = 1) =>
    new ConnPool({ name, capacity, waitTimeoutMs, factory: appFactory(foundRows), pipelineDepth });
  // Clients that asked for CLIENT_FOUND_ROWS (ExecuteOptions.client_found_rows) get connections opened with it, as
  // Vitess's found_rows_pool: one for their transactions, one for their statements outside a transaction.
  const txPool = new TxPool({
    pool: pool("transaction_pool", cfg.txCap, cfg.txPoolTimeoutMs),
    foundRowsPool: pool("found_rows_pool", cfg.txCap, cfg.txPoolTimeoutMs, true), timeoutMs: cfg.txTimeoutMs,
  });
  const abandonAgeMs = cfg.twopcAbandonAgeMs ?? 15 * 60_000;
  const twoPc = new TwoPc({ txPool, dba: dbaPool, appUser, abandonAgeMs });
  const ts = new TabletServer({
    state: { keyspace: tablet.keyspace, shard: tablet.shard, tabletType: tablet.tabletType, serving: false,
      primaryTermStartTime: 0 },
    queryPool: pool("conn_pool", cfg.poolSize, 0, false, cfg.pipelineDepth),
    streamPool: pool("stream_conn_pool", cfg.streamPoolSize),
    foundRowsPool: pool("found_rows_conn_pool", cfg.poolSize, 0, true, cfg.pipelineDepth),
    txPool, twoPc,
    maxResultSize: cfg.maxResultSize, streamBufferSize: cfg.streamBufferSize, queryTimeoutMs: cfg.queryTimeoutMs ?? 0,
    killQuery: (q) => dbaPool.with(async (c) => { await killStatement(c, q); }),
  });
  const schema = new SchemaEngine(mariaDbSchemaSource((fn) => dbaPool.with(fn), cfg.dbName), {
    reloadIntervalMs: cfg.schemaReloadIntervalMs ?? 30 * 60_000,
    log: (msg) => process.stderr.write(`vttablet: ${msg}\n`),
  });
  await schema.start();
  const onDdl = (): void => void schema.reload();
  ts.on("ddl", onDdl);
  const health = new HealthStreamer(ts, cfg.tablet.alias, () => dbaPool.with(replicationLag), cfg.healthCheckIntervalMs,
    cfg.schemaChangeSignal === false ? undefined : schema);
  const server: StartedServer = await startGrpcServer({
    host: cfg.grpcHost, port: cfg.grpcPort, ts, health, schema, alias: cfg.tablet.alias,
    addServices: addServices ? (s) => addServices(s, {
      dbaPool, ts, dbName: cfg.dbName, repl: { user: cfg.replUser, password: cfg.replPassword },
      mysqlAddressOf: async (alias) => {
        const t = (await topo.getTablet(alias as TabletAlias)).value;
        return { host: t.mysqlHostname, port: t.mysqlPort };
      },
      onTypeChange: async (tabletType) => {
        await topo.updateTabletFields(cfg.tablet.alias as TabletAlias, (t) => {
          t.type = tabletType;
          t.primaryTermStartTime = tabletType === 1 ? nowTime() : undefined;
        });
      },
    }) : undefined,
  });
  const mux = cfg.muxPort === -1 ? undefined
    : await MuxSocketServer.listen(cfg.grpcHost, cfg.muxPort ?? 0, new QueryCalls(ts, cfg.tablet.alias), cfg.tablet.alias);
  const record = { ...tablet, grpcPort: server.port };
  await registerTablet(topo, record, cfg.globalServerAddress);
  if (mux) await topo.updateTabletFields(cfg.tablet.alias as TabletAlias, (t) => { t.portMap["mux"] = mux.port; });
  if (isPrimary) await publishPrimary(topo, record);
  ts.setState({ serving: true, primaryTermStartTime: isPrimary ? Math.floor(Date.now() / 1000) : 0 });
  const ac = new AbortController();
  const replicationReady = isPrimary ? Promise.resolve() : (async () => {
    const primary = await waitForPrimary(topo, record.keyspace, record.shard, ac.signal);
    const src = { host: primary.mysqlHostname, port: primary.mysqlPort, user: cfg.replUser, password: cfg.replPassword };
    // A demoted former primary continues from its own binlog (current_pos), as after PlannedReparentShard.
    await dbaPool.with((db) => (startup.demoted ? setReplicationSource(db, src, true) : startReplicationFrom(db, src)));
  })();
  replicationReady.catch(() => undefined);
  const participants = new ParticipantConns(topo);
  const resolver = new DtResolver({ ts, twoPc, participants, intervalMs: Math.min(Math.max(abandonAgeMs / 2, 500), 60_000),
    log: (line) => process.stderr.write(`${line}\n`) });
  resolver.start();
  return {
    grpcPort: server.port, muxPort: mux?.port ?? 0, tabletServer: ts, replicationReady,
    async stop() {
      ac.abort();
      schema.stop();
      ts.off("ddl", onDdl);
      await resolver.stop();
      participants.close();
      twoPc.close();
      await ts.shutdown();
      await mux?.close();
      await server.close(1000);
      dbaPool.close();
    },
  };
}
