import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariaDb, type MariaDb } from "@vt/testkit/mariadb";
import { Type, type BindVariable } from "@vt/sqltypes";
import { CallCancel } from "./call-cancel.js";
import { ConnPool } from "./conn-pool.js";
import { mariaDbConnFactory } from "./mariadb-conn.js";
import { mysql2ConnFactory } from "./mysql2-conn.js";
import { killStatement } from "./kill-statement.js";
import { TabletServer } from "./tablet-server.js";
import { TxPool } from "./tx-pool.js";
import type { DbConnFactory } from "./db-conn.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const bv = (type: number, s: string): BindVariable => ({ type, value: enc.encode(s), values: [] });
const text = (v: Uint8Array | null | undefined) => (v == null ? null : dec.decode(v));

let db: MariaDb;
let ts: TabletServer;
let txPool: TxPool;

beforeAll(async () => {
  db = await startMariaDb();
  const admin = mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "" });
  const c = await admin();
  await c.query("create database ks; create table ks.t (id bigint primary key, name varchar(64), price decimal(10,2))");
  c.close();
  const factory = mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "", database: "ks" });
  const pool = (name: string, capacity: number) => new ConnPool({ name, capacity, waitTimeoutMs: 0, factory });
  // found-rows pools: the lean client opening connections with CLIENT_FOUND_ROWS
  const foundRows = mariaDbConnFactory({ host: db.host, port: db.port, user: "root", password: "", database: "ks", foundRows: true });
  const frPool = (name: string) => new ConnPool({ name, capacity: 2, waitTimeoutMs: 0, factory: foundRows });
  txPool = new TxPool({ pool: pool("transaction_pool", 4), foundRowsPool: frPool("found_rows_pool"), timeoutMs: 1500 });
  ts = new TabletServer({
    state: { keyspace: "ks", shard: "0", tabletType: 1, serving: true, primaryTermStartTime: 0 },
    queryPool: pool("conn_pool", 4), streamPool: pool("stream_conn_pool", 2), txPool, foundRowsPool: frPool("found_rows_conn_pool"),
    maxResultSize: 10000, streamBufferSize: 1024, queryTimeoutMs: 2000,
    killQuery: async (q) => { const k = await admin(); try { await killStatement(k, q); } finally { k.close(); } },
  });
});

afterAll(async () => {
  await ts?.shutdown();
  await db?.stop();
});

describe("TabletServer over MariaDB", () => {
  it("executes with bind vars and keeps raw bytes and field metadata", async () => {
    const ins = await ts.execute(undefined, "insert into t values (:id, :name, :price), (2, 'b', 2.5)",
      { id: bv(Type.INT64, "1"), name: bv(Type.VARCHAR, "o'hara"), price: bv(Type.DECIMAL, "9.99") }, 0n);
    expect(ins.rowsAffected).toBe(2n);
    const r = await ts.execute(undefined, "select id, name, price from t where id in ::ids order by id",
      { ids: { type: Type.TUPLE, value: new Uint8Array(), values: [{ type: Type.INT64, value: enc.encode("1") }] } }, 0n);
    expect(r.rows.map((row) => row.map(text))).toEqual([["1", "o'hara", "9.99"]]);
    expect(r.fields.map((f) => [f.name, f.type, f.table, f.orgTable, f.database])).toEqual([
      ["id", Type.INT64, "t", "t", "ks"], ["name", Type.VARCHAR, "t", "t", "ks"], ["price", Type.DECIMAL, "t", "t", "ks"],
    ]);
    expect(r.fields[2]!.decimals).toBe(2);
  });

  it("reports rows matched instead of rows changed for clientFoundRows, in and outside transactions", async () => {
    await ts.execute(undefined, "insert into t values (500, 'same', 1)", {}, 0n);
    const same = "update t set name = 'same' where id = 500";
    expect((await ts.execute(undefined, same, {}, 0n)).rowsAffected).toBe(0n);
    expect((await ts.execute(undefined, same, {}, 0n, { clientFoundRows: true })).rowsAffected).toBe(1n);
    expect((await ts.execute(undefined, same, {}, 0n, { clientFoundRows: false })).rowsAffected).toBe(0n);
    const fr = await ts.beginExecute(undefined, same, {}, { clientFoundRows: true });
    expect(fr.result?.rowsAffected).toBe(1n);
    // later statements of the transaction run on its found-rows connection
    expect((await ts.execute(undefined, same, {}, fr.transactionId)).rowsAffected).toBe(1n);
    await ts.commit(undefined, fr.transactionId);
    const plainTx = await ts.beginExecute(undefined, same, {});
    expect(plainTx.result?.rowsAffected).toBe(0n);
    await ts.rollback(undefined, plainTx.transactionId);
    const xa = await ts.beginExecute(undefined, same, {}, { clientFoundRows: true, prepareCapable: true });
    expect(xa.result?.rowsAffected).toBe(1n);
    await ts.rollback(undefined, xa.transactionId);
    await ts.execute(undefined, "delete from t where id = 500", {}, 0n);
  });

  it("keeps MariaDB errno and SQLSTATE", async () => {
    await expect(ts.execute(undefined, "select * from nope", {}, 0n)).rejects.toMatchObject({ errno: 1146, sqlState: "42S02" });
    await expect(ts.execute(undefined, "insert into t values (1, 'x', 1)", {}, 0n)).rejects.toMatchObject({ errno: 1062, sqlState: "23000" });
  });

  it("runs several statements in one call", async () => {
    const r = await ts.execute(undefined, "update t set name = 'bb' where id = 2; select name from t where id = 2", {}, 0n);
    expect(r.rowsAffected).toBe(1n);
    expect(r.rows.map((row) => text(row[0]))).toEqual(["bb"]);
  });

  it("commits and rolls back transactions", async () => {
    const tx = await ts.begin(undefined);
    await ts.execute(undefined, "insert into t values (10, 'tx', 0)", {}, tx);
    await ts.rollback(undefined, tx);
    const tx2 = await ts.begin(undefined);
    await ts.execute(undefined, "insert into t values (11, 'tx', 0)", {}, tx2);
    await ts.commit(undefined, tx2);
    const r = await ts.execute(undefined, "select id from t where name = 'tx'", {}, 0n);
    expect(r.rows.map((row) => text(row[0]))).toEqual(["11"]);
    await expect(ts.commit(undefined, tx2)).rejects.toMatchObject({ vtCode: "ABORTED" });
    await expect(ts.commit(undefined, 12345n)).rejects.toMatchObject({ vtCode: "NOT_FOUND" });
  });

  it("kills transactions after the timeout", async () => {
    const tx = await ts.begin(undefined);
    await new Promise((r) => setTimeout(r, 1700));
    await expect(ts.execute(undefined, "select 1", {}, tx)).rejects.toThrow(/exceeded timeout/);
    expect(txPool.size).toBe(0);
  });

  it("streams a large result in chunks", async () => {
    let fields = 0;
    let rows = 0;
    let chunks = 0;
    for await (const r of ts.streamExecute(undefined, "select seq, repeat('x', 100) from seq_1_to_20000", {}, 0n)) {
      if (r.fields.length > 0) fields++;
      rows += r.rows.length;
      chunks++;
    }
    expect(fields).toBe(1);
    expect(rows).toBe(20000);
    expect(chunks).toBeGreaterThan(100);
  });

  it("kills a query that outlives its timeout with 3024 and keeps the connection usable", async () => {
    const t0 = Date.now();
    const timeout = { case: "authoritativeTimeout", value: 300n };
    await expect(ts.execute(undefined, "select sleep(20)", {}, 0n, { timeout }))
      .rejects.toMatchObject({ errno: 3024, sqlState: "HY000", message: expect.stringMatching(/maximum statement execution time exceeded/) });
    expect(Date.now() - t0).toBeLessThan(3000);
    const tx = await ts.begin(undefined);
    await expect(ts.execute(undefined, "select sleep(20)", {}, tx, { timeout })).rejects.toMatchObject({ errno: 3024 });
    const r = await ts.execute(undefined, "select 1", {}, tx);
    expect(r.rows.length).toBe(1);
    await ts.rollback(undefined, tx);
    // The tablet-wide --queryserver-config-query-timeout (2 s here) applies when the call sets none.
    const sleeper = ts.execute(undefined, "select sleep(20)", {}, 0n);
    await expect(sleeper).rejects.toMatchObject({ errno: 3024 });
    const busy = await ts.execute(undefined, "select count(*) from information_schema.processlist where info like 'select sleep%'", {}, 0n);
    expect(text(busy.rows[0]![0])).toBe("0");
  }, 15000);

  it("kills the statement of a cancelled call with 1317 (without a query timeout too) and keeps the pool usable", async () => {
    const cancel = new CallCancel();
    const t0 = Date.now();
    const q = ts.execute(undefined, "select sleep(20)", {}, 0n, { timeout: { case: "authoritativeTimeout", value: 0n } }, cancel);
    await new Promise((r) => setTimeout(r, 200));
    cancel.abort();
    await expect(q).rejects.toMatchObject({ errno: 1317, sqlState: "70100" });
    expect(Date.now() - t0).toBeLessThan(3000);
    const busy = await ts.execute(undefined, "select count(*) from information_schema.processlist where info like 'select sleep%'", {}, 0n);
    expect(text(busy.rows[0]![0])).toBe("0");
    // already cancelled: fails at once, nothing runs
    await expect(ts.execute(undefined, "select 1", {}, 0n, undefined, cancel)).rejects.toMatchObject({ errno: 1317 });
    // a finished call's cancel is harmless
    const done = new CallCancel();
    expect((await ts.execute(undefined, "select 2", {}, 0n, undefined, done)).rows.length).toBe(1);
    done.abort();
    expect((await ts.execute(undefined, "select 3", {}, 0n)).rows.length).toBe(1);
  }, 15000);

  it("pipelines a turn's queries on one connection; a kill of a queued one waits until it runs, the one before finishes", async () => {
    const factory = mariaDbConnFactory({ host: db.host, port: db.port, user: "root", password: "", database: "ks" });
    const admin = mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "" });
    const piped = new TabletServer({
      state: { keyspace: "ks", shard: "0", tabletType: 1, serving: true, primaryTermStartTime: 0 },
      queryPool: new ConnPool({ name: "conn_pool", capacity: 1, waitTimeoutMs: 0, factory, pipelineDepth: 4 }),
      streamPool: new ConnPool({ name: "stream_conn_pool", capacity: 1, waitTimeoutMs: 0, factory }),
      txPool: new TxPool({ pool: new ConnPool({ name: "transaction_pool", capacity: 1, waitTimeoutMs: 0, factory }), timeoutMs: 1500 }),
      maxResultSize: 10000, streamBufferSize: 1024, queryTimeoutMs: 0,
      killQuery: async (q) => { const k = await admin(); try { await killStatement(k, q); } finally { k.close(); } },
    });
    try {
      await piped.execute(undefined, "select 1", {}, 0n); // one idle connection
      const cancel = new CallCancel();
      const first = piped.execute(undefined, "select sleep(0.5) as s", {}, 0n, undefined, new CallCancel());
      const second = piped.execute(undefined, "select sleep(20) as s", {}, 0n, undefined, cancel);
      const third = piped.execute(undefined, "select 3 as x", {}, 0n);
      const t0 = Date.now();
      cancel.abort(); // second is queued behind first: no KILL yet (it would stop first)
      const r1 = await first;
      expect(text(r1.rows[0]![0])).toBe("0"); // sleep() returns 1 when interrupted
      expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
      await expect(second).rejects.toMatchObject({ errno: 1317 });
      expect(text((await third).rows[0]![0])).toBe("3");
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      await piped.shutdown();
    }
  }, 15000);

  it("rejects a wrong target", async () => {
    await expect(ts.execute({ keyspace: "ks", shard: "0", tabletType: 2 }, "select 1", {}, 0n))
      .rejects.toThrow(/wrong tablet type: REPLICA, want: PRIMARY/);
  });
});

describe("BeginExecute round trips", () => {
  it("sends the begin and the first query as one text; a failed query leaves the transaction open to roll back", async () => {
    const base = mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "", database: "ks" });
    const sent: string[] = [];
    const counting: DbConnFactory = async (o) => {
      const c = await base(o);
      return {
        get threadId() { return c.threadId; },
        get closed() { return c.closed; },
        query: (sql: string) => { sent.push(sql); return c.query(sql); },
        stream: (sql: string, n: number) => c.stream(sql, n),
        close: () => c.close(),
      };
    };
    const pool = (name: string) => new ConnPool({ name, capacity: 2, waitTimeoutMs: 0, factory: counting });
    const t2 = new TabletServer({
      state: { keyspace: "ks", shard: "0", tabletType: 1, serving: true, primaryTermStartTime: 0 },
      queryPool: pool("conn_pool"), streamPool: pool("stream_conn_pool"), txPool: new TxPool({ pool: pool("transaction_pool"), timeoutMs: 5000 }),
      maxResultSize: 10000, streamBufferSize: 1024,
    });
    try {
      await t2.execute(undefined, "insert into t values (900, 'rt', 1)", {}, 0n);
      sent.length = 0;
      const be = await t2.beginExecute(undefined, "select name from t where id = :id", { id: bv(Type.INT64, "900") }, { transactionIsolation: 2 });
      expect(be.error).toBeUndefined();
      expect(be.result!.rows.map((r) => r.map(text))).toEqual([["rt"]]);
      expect(sent).toEqual(["set transaction isolation level read committed; begin; select name from t where id = 900"]);
      await t2.execute(undefined, "update t set name = 'rt2' where id = 900", {}, be.transactionId);
      await t2.commit(undefined, be.transactionId);
      expect(sent.length).toBe(3);
      expect((await t2.execute(undefined, "select name from t where id = 900", {}, 0n)).rows.map((r) => text(r[0]))).toEqual(["rt2"]);

      // a read-only transaction: the write fails inside it, the transaction is still there to roll back
      const ro = await t2.beginExecute(undefined, "update t set name = 'no' where id = 900", {}, { transactionAccessMode: [2] });
      expect(ro.error).toMatchObject({ errno: 1792 });
      expect(ro.transactionId).not.toBe(0n);
      await t2.rollback(undefined, ro.transactionId);
      expect((await t2.execute(undefined, "select name from t where id = 900", {}, 0n)).rows.map((r) => text(r[0]))).toEqual(["rt2"]);
    } finally {
      await t2.shutdown();
    }
  });
});
