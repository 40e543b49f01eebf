import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startMariaDb, type MariaDb } from "@vt/testkit/mariadb";
import { newMemoryTopoServer, type TopoServer } from "@vt/topo";
import { createClient } from "@vt/rpc";
import { TabletManager } from "@vt/proto/tabletmanagerservice";
import { GrpcQueryService } from "@vt/tablet-client";
import { mysql2ConnFactory } from "./mysql2-conn.js";
import { addTabletManager } from "./tablet-manager.js";
import { startVttablet, type Vttablet, type VttabletConfig } from "./vttablet.js";

const tmClient = (port: number) => createClient(TabletManager, `127.0.0.1:${port}`, { defaultTimeoutMs: 20000 });
type TmClient = ReturnType<typeof tmClient>;

const enc = new TextEncoder();
const dec = new TextDecoder();
let dbs: MariaDb[] = [];
let tablets: Vttablet[] = [];
let topo: TopoServer;
let tm: TmClient[] = [];

const config = (uid: number, type: number, db: MariaDb): VttabletConfig => ({
  tablet: { alias: { cell: "zone1", uid }, hostname: "127.0.0.1", grpcPort: 0, keyspace: "ks", shard: "0",
    tabletType: type, mysqlHostname: "127.0.0.1", mysqlPort: db.port, dbNameOverride: "" },
  grpcHost: "127.0.0.1", grpcPort: 0, dbName: "ks", replUser: "repl", replPassword: "replpw",
  globalServerAddress: "memory", poolSize: 2, streamPoolSize: 1, txCap: 2, dbaPoolSize: 2, txPoolTimeoutMs: 1000,
  txTimeoutMs: 30000, maxResultSize: 10000, streamBufferSize: 32768, healthCheckIntervalMs: 60000,
});

const conns = (db: MariaDb) => ({
  dba: mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "" }),
  app: (o: { database: string; user: string; password: string }) =>
    mysql2ConnFactory({ host: db.host, port: db.port, user: o.user, password: o.password })({ database: o.database }),
});

const dbaText = async (c: TmClient, sql: string): Promise<string[][]> => {
  const r = await c.executeFetchAsDba({ query: enc.encode(sql), dbName: "ks", maxRows: 1000n });
  return (r.result?.rows ?? []).map((row) => {
    let off = 0;
    return row.lengths.map((n) => { const s = dec.decode(row.values.subarray(off, off + Math.max(0, n))); off += Math.max(0, n); return s; });
  });
};

beforeAll(async () => {
  dbs = await Promise.all([startMariaDb({ serverId: 11 }), startMariaDb({ serverId: 12 })]);
  topo = (await newMemoryTopoServer("zone1")).ts;
  const replica = startVttablet(config(201, 2, dbs[1]!), topo, conns(dbs[1]!), addTabletManager);
  const primary = await startVttablet(config(200, 1, dbs[0]!), topo, conns(dbs[0]!), addTabletManager);
  tablets = [primary, await replica];
  await tablets[1]!.replicationReady;
  tm = tablets.map((t) => tmClient(t.grpcPort));
}, 60000);

afterAll(async () => {
  for (const c of tm) c.close();
  for (const t of tablets) await t.stop();
  await topo?.close();
  await Promise.all(dbs.map((d) => d.stop()));
});

it("applies schema (replicated or local only) and reports it with GetSchema", async () => {
  const [p, r] = [tm[0]!, tm[1]!];
  const applied = await p.applySchema({
    sql: "create table t (a bigint, b varchar(10), c int, primary key (b, a)) auto_increment=5", allowReplication: true,
  });
  expect(applied.beforeSchema?.tableDefinitions).toEqual([]);
  expect(applied.afterSchema?.tableDefinitions.map((t) => t.name)).toEqual(["t"]);
  const pos = (await p.primaryPosition({})).position;
  expect(pos).toMatch(/^MariaDB\/0-11-\d+$/);
  await r.waitForPosition({ position: pos });
  const s = (await r.getSchema({})).schemaDefinition!;
  expect(s.databaseSchema).toMatch(/CREATE DATABASE `ks`/);
  const t = s.tableDefinitions[0]!;
  expect(t).toMatchObject({ name: "t", columns: ["a", "b", "c"], primaryKeyColumns: ["b", "a"], type: "BASE TABLE" });
  expect(t.schema).toMatch(/^CREATE TABLE `t`/);
  expect(t.schema).not.toMatch(/AUTO_INCREMENT=/);
  expect(t.fields.map((f) => f.name)).toEqual(["a", "b", "c"]);

  // allow_replication=false: the DDL stays on this tablet (sql_log_bin=0).
  const local = await p.applySchema({ sql: "create table only_here (id int primary key)", allowReplication: false });
  expect(local.afterSchema?.tableDefinitions.map((d) => d.name)).toEqual(["only_here", "t"]);
  await r.waitForPosition({ position: (await p.primaryPosition({})).position });
  expect((await r.getSchema({ tables: ["only_here"] })).schemaDefinition?.tableDefinitions).toEqual([]);
  // A stale before_schema is refused unless forced.
  await expect(p.applySchema({ sql: "drop table only_here", beforeSchema: applied.beforeSchema }))
    .rejects.toMatchObject({ vtCode: "FAILED_PRECONDITION" });
  await expect(p.applySchema({ sql: "create table t (x int)", force: true })).rejects.toMatchObject({ errno: 1050 });
  await p.reloadSchema({ waitPosition: pos });
});

it("reports replication and primary status", async () => {
  const [p, r] = [tm[0]!, tm[1]!];
  const st = (await r.replicationStatus({})).status!;
  expect(st).toMatchObject({ sourceHost: "127.0.0.1", sourcePort: dbs[0]!.port, ioState: 3, sqlState: 3, usingGtid: true,
    sourceUser: "repl", sourceServerId: 11 });
  expect(st.position).toMatch(/^MariaDB\/0-11-\d+/);
  const ps = (await p.primaryStatus({})).status!;
  expect(ps.position).toBe((await p.primaryPosition({})).position);
  expect(ps.filePosition).toMatch(/^FilePos\/mysql-bin\.\d+:\d+$/);
  await expect(p.replicationStatus({})).rejects.toThrow(/no replication status/);
  await r.stopReplication({});
  expect((await r.replicationStatus({})).status).toMatchObject({ ioState: 1, sqlState: 1 });
  await r.startReplication({});
  expect((await r.replicationStatus({})).status?.sqlState).toBe(3);
});

it("lists permissions", async () => {
  const perms = (await tm[0]!.getPermissions({})).permissions!;
  const users = perms.userPermissions.map((u) => `${u.user}@${u.host}`);
  expect(users).toEqual(expect.arrayContaining(["vt_app@localhost", "vt_app@127.0.0.1", "repl@%"]));
  const app = perms.userPermissions.find((u) => u.user === "vt_app")!;
  expect(app.privileges["Super_priv"]).toBe("N");
  expect(perms.dbPermissions.find((d) => d.user === "vt_app" && d.db === "ks")?.privileges["Insert_priv"]).toBe("Y");
});

it("reparents: demote, promote, repoint the old primary, and it follows the new one", async () => {
  const [p, r] = [tm[0]!, tm[1]!];
  const demoted = await p.demotePrimary({});
  expect(demoted.primaryStatus?.position).toMatch(/^MariaDB\//);
  expect(await dbaText(p, "select @@global.read_only")).toEqual([["1"]]);
  const promoted = await r.promoteReplica({});
  expect(promoted.position).toMatch(/^MariaDB\//);
  expect(await dbaText(r, "select @@global.read_only")).toEqual([["0"]]);
  expect((await topo.getTablet({ cell: "zone1", uid: 201 } as never)).value.type).toBe(1);
  await p.setReplicationSource({ parent: { cell: "zone1", uid: 201 }, forceStartReplication: true });
  expect((await topo.getTablet({ cell: "zone1", uid: 200 } as never)).value.type).toBe(2);
  // The IO thread reports Connecting (2) until it has reached the new primary, then Running (3).
  await vi.waitFor(async () => {
    expect((await p.replicationStatus({})).status).toMatchObject({ sourcePort: dbs[1]!.port, ioState: 3 });
  }, { timeout: 10_000, interval: 100 });

  // Writes go through the new primary's query service and show up on the old one.
  const qs = new GrpcQueryService(`127.0.0.1:${tablets[1]!.grpcPort}`);
  try {
    await qs.execute({ keyspace: "ks", shard: "0", tabletType: 1 }, "insert into t values (1, 'x', 2)", {}, 0n);
  } finally {
    qs.close();
  }
  await p.waitForPosition({ position: (await r.primaryPosition({})).position });
  expect(await dbaText(p, "select a, b, c from t")).toEqual([["1", "x", "2"]]);
  const t0 = Date.now();
  await expect(p.waitForPosition({ position: "MariaDB/0-12-999999" }, { timeoutMs: 700 }))
    .rejects.toMatchObject({ vtCode: "DEADLINE_EXCEEDED" });
  expect(Date.now() - t0).toBeLessThan(3000);
}, 60000);

it("resets replication and initializes a primary", async () => {
  const p = tm[0]!;
  await p.resetReplication({});
  await expect(p.replicationStatus({})).rejects.toThrow(/no replication status/);
  expect(await dbaText(p, "select @@global.gtid_binlog_pos")).toEqual([[""]]);
  const init = await p.initPrimary({});
  expect(init.position).toBe("MariaDB/");
  expect(await dbaText(p, "select @@global.read_only")).toEqual([["0"]]);
  expect(tablets[0]!.tabletServer.state).toMatchObject({ tabletType: 1, serving: true });
});
