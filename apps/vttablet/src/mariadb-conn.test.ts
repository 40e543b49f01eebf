import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariaDb, type MariaDb } from "@vt/testkit/mariadb";
import type { Result } from "@vt/sqltypes";
import type { DbConn } from "./db-conn.js";
import { mariaDbConnFactory, MariaDbConn } from "./mariadb-conn.js";
import { mysql2ConnFactory } from "./mysql2-conn.js";

const dec = new TextDecoder();
const text = (r: Result) => r.rows.map((row) => row.map((v) => (v === null ? null : dec.decode(v))));
const plain = (r: Result) => ({ ...r, rows: text(r) });

let db: MariaDb;
let lean: DbConn;
let ref: DbConn;

beforeAll(async () => {
  db = await startMariaDb({ extraConfig: ["max_allowed_packet=64M"] });
  const admin = await mariaDbConnFactory({ host: db.host, port: db.port, user: "root", password: "" })();
  await admin.query("create database ks; create table ks.t (id bigint primary key, name varchar(64), price decimal(10,2), b blob, d datetime(3), u bigint unsigned)");
  await admin.query("create user 'pw'@'%' identified by 's3cret'; grant all on ks.* to 'pw'@'%'");
  admin.close();
  lean = await mariaDbConnFactory({ host: db.host, port: db.port, user: "root", password: "" })({ database: "ks" });
  ref = await mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "" })({ database: "ks" });
});

afterAll(async () => {
  lean?.close();
  ref?.close();
  await db?.stop();
});

describe("MariaDbConn (lean client)", () => {
  it("returns the same results as the mysql2 client: fields, raw row bytes, NULL vs empty, OK counters", async () => {
    const ins = await lean.query("insert into t values (1, 'alice', 1.50, x'00ff', '2024-01-02 03:04:05.678', 18446744073709551615), (2, '', null, '', null, 0)");
    expect(ins[0]!.rowsAffected).toBe(2n);
    const sql = "select id, name, price, b, d, u, 1+1 as two from t order by id";
    const [a] = await lean.query(sql);
    const [b] = await ref.query(sql);
    expect(plain(a!)).toEqual(plain(b!));
    expect(text(a!)).toEqual([
      ["1", "alice", "1.50", "\u0000\ufffd", "2024-01-02 03:04:05.678", "18446744073709551615", "2"],
      ["2", "", null, "", null, "0", "2"],
    ]);
    expect(a!.fields.map((f) => f.name)).toEqual(["id", "name", "price", "b", "d", "u", "two"]);
  });

  it("reports insert ids, affected rows, info and multi-statement results like mysql2", async () => {
    await lean.query("create table auto (id int auto_increment primary key, v int)");
    const sql = "insert into auto (v) values (1),(2); update auto set v = v + 1; select count(*) from auto";
    const rs = await lean.query(sql);
    expect(rs.map((r) => [r.rowsAffected, r.insertId, r.info])).toEqual([[2n, 1n, "Records: 2  Duplicates: 0  Warnings: 0"], [2n, 0n, "Rows matched: 2  Changed: 2  Warnings: 0"], [0n, 0n, ""]]);
    expect(text(rs[2]!)).toEqual([["2"]]);
    const refRs = await ref.query("select * from auto order by id; select 1");
    const leanRs = await lean.query("select * from auto order by id; select 1");
    expect(leanRs.map(plain)).toEqual(refRs.map(plain));
  });

  it("keeps MariaDB's errno and SQLSTATE and stays usable after a query error", async () => {
    await expect(lean.query("select * from nope")).rejects.toMatchObject({ errno: 1146, sqlState: "42S02" });
    await expect(lean.query("select 1; select * from nope")).rejects.toMatchObject({ errno: 1146 });
    await expect(lean.query("insert into t (id) values (1)")).rejects.toMatchObject({ errno: 1062, sqlState: "23000" });
    expect(text((await lean.query("select 'still ok'"))[0]!)).toEqual([["still ok"]]);
    expect(lean.closed).toBe(false);
    expect(lean.threadId).toBeGreaterThan(0);
  });

  it("relays values larger than a socket read and a result of many rows", async () => {
    const [r] = await lean.query("select repeat('x', 3000000) as big, 7 as n");
    expect(r!.rows[0]![0]!.length).toBe(3_000_000);
    expect(dec.decode(r!.rows[0]![1]!)).toBe("7");
    const [many] = await lean.query("select seq, repeat('y', 100) from seq_1_to_20000");
    expect(many!.rows.length).toBe(20000);
    expect(dec.decode(many!.rows[19999]![0]!)).toBe("20000");
  });

  it("streams in byte-bounded chunks, fields first, and closes the connection when abandoned", async () => {
    const chunks: Result[] = [];
    for await (const c of lean.stream("select seq, repeat('z', 100) from seq_1_to_5000", 64 * 1024)) chunks.push(c);
    expect(chunks[0]!.fields.map((f) => f.name)).toEqual(["seq", "repeat('z', 100)"]);
    expect(chunks[0]!.rows.length).toBe(0);
    expect(chunks.slice(1).reduce((n, c) => n + c.rows.length, 0)).toBe(5000);
    expect(chunks.length).toBeGreaterThan(3);
    expect(lean.closed).toBe(false);
    await expect((async () => { for await (const _ of lean.stream("select * from nope", 1024)) { /* none */ } })())
      .rejects.toMatchObject({ errno: 1146 });
    const c2 = await mariaDbConnFactory({ host: db.host, port: db.port, user: "root", password: "" })({ database: "ks" });
    for await (const c of c2.stream("select seq from seq_1_to_1000000", 1024)) if (c.rows.length > 0) break;
    expect(c2.closed).toBe(true);
  });

  it("authenticates with a password over TCP and a socket, and fails with 1045 / 2003", async () => {
    const c = await MariaDbConn.connect({ host: db.host, port: db.port, user: "pw", password: "s3cret", database: "ks" });
    expect(text((await c.query("select current_user()"))[0]!)).toEqual([["pw@%"]]);
    c.close();
    const s = await MariaDbConn.connect({ socketPath: db.socket, user: "root", password: "" });
    expect(text((await s.query("select 1"))[0]!)).toEqual([["1"]]);
    s.close();
    await expect(MariaDbConn.connect({ host: db.host, port: db.port, user: "pw", password: "bad" })).rejects.toMatchObject({ errno: 1045 });
    await expect(MariaDbConn.connect({ host: "127.0.0.1", port: 1, user: "root", password: "" })).rejects.toMatchObject({ errno: 2003 });
  });

  it("fails the query in flight with 2013 UNAVAILABLE when the server kills the connection", async () => {
    const victim = await mariaDbConnFactory({ host: db.host, port: db.port, user: "root", password: "" })();
    const p = victim.query("select sleep(5)").then(() => undefined, (e: unknown) => e);
    await lean.query(`kill ${victim.threadId}`);
    await expect(p).resolves.toMatchObject({ vtCode: "UNAVAILABLE" });
    expect(victim.closed).toBe(true);
  });

  it("pipelines queries sent while others are in flight: answers in order, errors stay with their query, onStart in order", async () => {
    const c = await MariaDbConn.connect({ host: db.host, port: db.port, user: "root", password: "", database: "ks" });
    const started: number[] = [];
    const ps = [
      c.query("select sleep(0.2), 1 as a", { onStart: () => started.push(1) }),
      c.query("select * from no_such_table", { onStart: () => started.push(2) }),
      c.query("select 3 as a; select 4 as b, 5 as c", { onStart: () => started.push(3) }),
      c.query("do 1", { onStart: () => started.push(4) }),
    ].map((p) => p.then((r) => r, (e: unknown) => e));
    expect(c.pending).toBe(4);
    expect(started).toEqual([1]); // only the first is running
    const [r1, r2, r3, r4] = await Promise.all(ps);
    expect(text((r1 as Result[])[0]!)).toEqual([["0", "1"]]);
    expect(r2).toMatchObject({ errno: 1146, sqlState: "42S02" });
    expect((r3 as Result[]).map(text)).toEqual([[["3"]], [["4", "5"]]]);
    expect((r4 as Result[]).length).toBe(1);
    expect(started).toEqual([1, 2, 3, 4]);
    expect(c.pending).toBe(0);
    // a broken connection fails every query in flight
    const more = [c.query("select sleep(5)"), c.query("select 1")].map((p) => p.then(() => undefined, (e: unknown) => e));
    await lean.query(`kill ${c.threadId}`);
    for (const e of await Promise.all(more)) expect(e).toMatchObject({ vtCode: "UNAVAILABLE" });
  });
});
