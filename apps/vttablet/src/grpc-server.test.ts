import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariaDb, freePort, type MariaDb } from "@vt/testkit/mariadb";
import { create } from "@bufbuild/protobuf";
import { StreamExecuteRequestSchema } from "@vt/proto/query";
import { GrpcQueryService, MuxSocketClient, type Target } from "@vt/tablet-client";
import { Type, type BindVariable } from "@vt/sqltypes";
import { ConnPool } from "./conn-pool.js";
import { mysql2ConnFactory } from "./mysql2-conn.js";
import { killStatement } from "./kill-statement.js";
import { TabletServer } from "./tablet-server.js";
import { TxPool } from "./tx-pool.js";
import { HealthStreamer } from "./health-streamer.js";
import { startGrpcServer, type StartedServer } from "./grpc-server.js";
import { MuxSocketServer } from "./mux-socket-server.js";
import { QueryCalls } from "./query-service.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const bv = (type: number, s: string): BindVariable => ({ type, value: enc.encode(s), values: [] });
const text = (v: Uint8Array | null | undefined) => (v == null ? null : dec.decode(v));
const target: Target = { keyspace: "ks", shard: "0", tabletType: 1 };

let db: MariaDb;
let ts: TabletServer;
let srv: StartedServer;
let mux: GrpcQueryService;
let unary: GrpcQueryService;
let muxSrv: MuxSocketServer;
let sock: GrpcQueryService;

beforeAll(async () => {
  db = await startMariaDb();
  const c = await mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "" })();
  await c.query("create database ks; create table ks.t (id bigint primary key, name varchar(64))");
  c.close();
  const factory = mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "", database: "ks" });
  const pool = (name: string, capacity: number) => new ConnPool({ name, capacity, waitTimeoutMs: 0, factory });
  ts = new TabletServer({
    state: { keyspace: "ks", shard: "0", tabletType: 1, serving: true, primaryTermStartTime: 0 },
    queryPool: pool("conn_pool", 8), streamPool: pool("stream_conn_pool", 4),
    txPool: new TxPool({ pool: pool("transaction_pool", 8), timeoutMs: 30000 }), maxResultSize: 10000, streamBufferSize: 32 * 1024,
    killQuery: async (q) => {
      const k = await mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "" })();
      try { await killStatement(k, q); } finally { k.close(); }
    },
  });
  const alias = { cell: "zone1", uid: 100 };
  const health = new HealthStreamer(ts, alias, async () => ({ lagSeconds: 0, error: "" }), 60000);
  srv = await startGrpcServer({ host: "127.0.0.1", port: 0, ts, health, alias });
  mux = new GrpcQueryService(`127.0.0.1:${srv.port}`);
  unary = new GrpcQueryService(`127.0.0.1:${srv.port}`, { multiplex: false });
  muxSrv = await MuxSocketServer.listen("127.0.0.1", 0, new QueryCalls(ts, alias), alias);
  sock = new GrpcQueryService(`127.0.0.1:${srv.port}`, { muxAddress: `127.0.0.1:${muxSrv.port}` });
});

afterAll(async () => {
  mux?.close();
  unary?.close();
  sock?.close();
  await muxSrv?.close();
  await srv?.close();
  await ts?.shutdown();
  await db?.stop();
});

describe.each([["multiplex", () => mux], ["unary", () => unary], ["mux port", () => sock]])("vttablet over gRPC (%s)", (kind, qs) => {
  const base = kind === "multiplex" ? 0 : kind === "unary" ? 1000 : 2000;

  it("executes with bind variables", async () => {
    const ins = await qs().execute(target, "insert into t values (:id, :name)", { id: bv(Type.INT64, String(base + 1)), name: bv(Type.VARCHAR, "a'b") }, 0n);
    expect(ins.rowsAffected).toBe(1n);
    const r = await qs().execute(target, "select id, name from t where id = :id", { id: bv(Type.INT64, String(base + 1)) }, 0n);
    expect(r.rows.map((row) => row.map(text))).toEqual([[String(base + 1), "a'b"]]);
    expect(r.fields[0]).toMatchObject({ name: "id", type: Type.INT64, table: "t", database: "ks" });
  });

  it("keeps errno and SQLSTATE of MariaDB errors", async () => {
    await expect(qs().execute(target, "select * from missing", {}, 0n)).rejects
      .toMatchObject({ errno: 1146, sqlState: "42S02", message: "Table 'ks.missing' doesn't exist" });
    await expect(qs().execute(target, `insert into t values (${base + 1}, 'dup')`, {}, 0n))
      .rejects.toMatchObject({ errno: 1062, sqlState: "23000", name: "SqlError" });
  });

  it("honours ExecuteOptions.authoritative_timeout: the query is killed and fails with 3024", async () => {
    const t0 = Date.now();
    await expect(qs().execute(target, "select sleep(10)", {}, 0n, { timeout: { case: "authoritativeTimeout", value: 200n } }))
      .rejects.toMatchObject({ errno: 3024, sqlState: "HY000", vtCode: "DEADLINE_EXCEEDED" });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("runs transactions", async () => {
    const { transactionId } = await qs().begin(target);
    await qs().execute(target, `insert into t values (${base + 2}, 'tx')`, {}, transactionId);
    await qs().rollback(target, transactionId);
    const be = await qs().beginExecute(target, `insert into t values (${base + 3}, 'tx')`, {});
    expect(be.error).toBeUndefined();
    await qs().commit(target, be.transactionId);
    const r = await qs().execute(target, `select id from t where name = 'tx' and id between ${base} and ${base + 999}`, {}, 0n);
    expect(r.rows.map((row) => text(row[0]))).toEqual([String(base + 3)]);
    const bad = await qs().beginExecute(target, "select * from missing", {});
    expect(bad.error).toMatchObject({ errno: 1146 });
    await qs().rollback(target, bad.transactionId);
  });

  it("streams a large result", async () => {
    let rows = 0;
    let chunks = 0;
    for await (const r of qs().streamExecute(target, "select seq, repeat('y', 200) from seq_1_to_30000", {}, 0n)) {
      rows += r.rows.length;
      chunks++;
    }
    expect(rows).toBe(30000);
    expect(chunks).toBeGreaterThan(10);
  });

  it("stops a stream early", async () => {
    let rows = 0;
    for await (const r of qs().streamExecute(target, "select seq from seq_1_to_1000000", {}, 0n)) {
      rows += r.rows.length;
      if (rows > 1000) break;
    }
    const r = await qs().execute(target, "select 1", {}, 0n);
    expect(r.rows.length).toBe(1);
  });
});

describe("multiplexing and health", () => {
  it.each([["gRPC stream", () => mux], ["mux port", () => sock]])("answers many concurrent calls on one %s", async (_k, qs) => {
    const n = 300;
    const results = await Promise.all(Array.from({ length: n }, (_, i) =>
      qs().execute(target, "select :i, null, ''", { i: bv(Type.INT64, String(i)) }, 0n)));
    expect(results.map((r) => r.rows[0]!.map(text))).toEqual(Array.from({ length: n }, (_, i) => [String(i), null, ""]));
  });

  it("mux port: a credit-based stream stops while its consumer pauses; other calls on the connection go on", async () => {
    const c = new MuxSocketClient("127.0.0.1", muxSrv.port);
    try {
      const req = create(StreamExecuteRequestSchema, { target, query: { sql: "select seq, repeat('z', 200) from seq_1_to_1000000" } });
      const it = c.streamResults({ case: "streamExecute", value: req }, 4)[Symbol.asyncIterator]();
      let rows = (await it.next()).value!.rows.length;
      await new Promise((r) => setTimeout(r, 500));
      // ~210 MB of rows; 4 chunks of 32 KiB may be in flight, so the client has read well under 1 MiB.
      const paused = c.bytesRead;
      expect(paused).toBeLessThan(1 << 20);
      expect((await c.execute(target, "select 1", {}, 0n)).rows.length).toBe(1);
      await new Promise((r) => setTimeout(r, 200));
      expect(c.bytesRead - paused).toBeLessThan(4096);
      for (let n = 0; n < 50; n++) rows += (await it.next()).value!.rows.length;
      expect(rows).toBeGreaterThan(5000);
      await it.return!();
      expect((await c.execute(target, "select 2", {}, 0n)).rows.length).toBe(1);
    } finally {
      c.close();
    }
  });

  it("mux port: a dropped connection fails calls in flight with UNAVAILABLE, the next call reconnects", async () => {
    const s2 = await MuxSocketServer.listen("127.0.0.1", 0, new QueryCalls(ts, { cell: "zone1", uid: 100 }), { cell: "zone1", uid: 100 });
    const qs = new GrpcQueryService(`127.0.0.1:${srv.port}`, { muxAddress: `127.0.0.1:${s2.port}` });
    try {
      expect((await qs.execute(target, "select 1", {}, 0n)).rows.length).toBe(1);
      const slow = qs.execute(target, "select sleep(5)", {}, 0n);
      await new Promise((r) => setTimeout(r, 200));
      await s2.close();
      await expect(slow).rejects.toMatchObject({ errno: 2013, vtCode: "UNAVAILABLE" });
      await expect(qs.execute(target, "select 1", {}, 0n)).rejects.toMatchObject({ vtCode: "UNAVAILABLE" });
    } finally {
      qs.close();
    }
  });

  it("reports health", async () => {
    for await (const h of mux.streamHealth()) {
      expect(h.serving).toBe(true);
      expect(h.target).toMatchObject({ keyspace: "ks", shard: "0", tabletType: 1 });
      expect(h.tabletAlias).toMatchObject({ cell: "zone1", uid: 100 });
      break;
    }
  });

  it("fails fast with UNAVAILABLE for a dead tablet", async () => {
    const dead = new GrpcQueryService(`127.0.0.1:${await freePort()}`);
    const t0 = Date.now();
    await expect(dead.execute(target, "select 1", {}, 0n)).rejects.toMatchObject({ vtCode: "UNAVAILABLE" });
    const dead2 = new GrpcQueryService(`127.0.0.1:${await freePort()}`, { multiplex: false });
    await expect(dead2.execute(target, "select 1", {}, 0n)).rejects.toMatchObject({ vtCode: "UNAVAILABLE" });
    expect(Date.now() - t0).toBeLessThan(5000);
    dead.close();
    dead2.close();
  });
});
