import { describe, expect, it } from "vitest";
import type { PlanNode, Route } from "@vt/plan";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { defaultVindexRegistry, type KeyspaceSchema, type VSchema } from "@vt/vindexes";
import { SqlError } from "@vt/errors";
import { execute, stream } from "./execute.js";
import { LoggingVCursor, type FakeShardResults } from "./testing/logging-vcursor.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const commerce = { name: "commerce", sharded: true };
const main = { name: "main", sharded: false };

function vschema(): VSchema {
  const registry = defaultVindexRegistry();
  const hash = registry.create("hash", "hash");
  const mc = registry.create("multicol", "mc", { column_count: "2", column_vindex: "hash,hash" });
  const ks: KeyspaceSchema = { keyspace: commerce, tables: new Map(), vindexes: new Map([["hash", hash], ["mc", mc]]), requireExplicitRouting: false };
  const m: KeyspaceSchema = { keyspace: main, tables: new Map(), vindexes: new Map(), requireExplicitRouting: false };
  return { keyspaces: new Map([["commerce", ks], ["main", m]]), globalTables: new Map(), routingRules: new Map() };
}

const shardMap = { commerce: ["-80", "80-"], main: ["0"] };
const result = (fields: [string, number][], rows: (string | null)[][]): Result => ({
  fields: fields.map(([n, t]) => makeField(n, t)), rows: rows.map((r) => r.map((v) => (v === null ? null : enc.encode(v)))),
  rowsAffected: 0n, insertId: 0n, info: "",
});
const text = (r: Result) => r.rows.map((row) => row.map((c) => (c === null ? null : dec.decode(c))));
const vc = (results?: FakeShardResults) => new LoggingVCursor(vschema(), shardMap, results);
const int = (s: string) => ({ kind: "Literal" as const, type: Type.INT64, value: s });

const scatter = (query: string, extra: Partial<Route> = {}): Route => ({
  kind: "Route", opcode: "Scatter", keyspace: commerce, tableName: "users", query, fieldQuery: query, ...extra,
});

describe("Route", () => {
  it("EqualUnique resolves one shard through the hash vindex", async () => {
    const c = vc(() => result([["name", Type.VARCHAR]], [["alice"]]));
    const node: Route = { ...scatter("select name from users where user_id = :vtg1"), opcode: "EqualUnique", vindex: "hash", values: [{ kind: "BindVar", name: "vtg1" }] };
    const r = await execute(node, c, { vtg1: { type: Type.INT64, value: enc.encode("1"), values: [] } });
    expect(c.log).toEqual([
      "ResolveDestinations commerce DestinationKeyspaceID(166b40b44aba4bd6)",
      "ExecuteMultiShard commerce.-80: select name from users where user_id = :vtg1 {vtg1: 1}",
    ]);
    expect(text(r)).toEqual([["alice"]]);
  });

  it("IN binds each shard's values as __vals", async () => {
    const c = vc();
    const node: Route = { ...scatter("select * from users where user_id in ::__vals"), opcode: "IN", vindex: "hash", values: [{ kind: "Tuple", exprs: [int("1"), int("4"), int("2")] }] };
    await execute(node, c);
    expect(c.log[1]).toBe("ExecuteMultiShard commerce.-80: select * from users where user_id in ::__vals {__vals: (1, 2)} commerce.80-: select * from users where user_id in ::__vals {__vals: (4)}");
  });

  it("MultiEqual sends the query unchanged to the shards of the tuples' vindex values", async () => {
    const q = "select * from users where (user_id, name) in ((1, 'a'), (2, 'b'))";
    const one = vc();
    await execute({ ...scatter(q), opcode: "MultiEqual", vindex: "hash", values: [{ kind: "Tuple", exprs: [int("1"), int("2")] }] }, one);
    expect(one.log[1]).toBe(`ExecuteMultiShard commerce.-80: ${q} {}`);
    const both = vc();
    await execute({ ...scatter(q), opcode: "MultiEqual", vindex: "hash", values: [{ kind: "Tuple", exprs: [int("1"), int("4"), int("2")] }] }, both);
    expect(both.log[1]).toBe(`ExecuteMultiShard commerce.-80: ${q} {} commerce.80-: ${q} {}`);
  });

  it("a multi-column vindex routes all its columns to one shard and a leading column to its key range", async () => {
    const q = "select * from mc_orders where region_id = 4 and order_id = 1";
    const full = vc();
    await execute({ ...scatter(q), opcode: "EqualUnique", vindex: "mc", values: [int("4"), int("1")] }, full);
    expect(full.log[1]).toBe(`ExecuteMultiShard commerce.80-: ${q} {}`);
    const prefix = vc();
    await execute({ ...scatter("select * from mc_orders where region_id = 1"), opcode: "SubShard", vindex: "mc", values: [int("1")] }, prefix);
    expect(prefix.log[1]).toBe("ExecuteMultiShard commerce.-80: select * from mc_orders where region_id = 1 {}");
    const nul = vc();
    await execute({ ...scatter(q), opcode: "EqualUnique", vindex: "mc", values: [int("4"), { kind: "Literal", type: Type.NULL_TYPE, value: null }] }, nul);
    expect(nul.log[0]).toBe("ResolveDestinations commerce DestinationAnyShard()"); // NULL matches nothing: only the fields are fetched
  });

  it("scatter merge-sorts numerically and truncates helper columns", async () => {
    const c = vc((rs) => rs.shard === "-80"
      ? result([["name", Type.VARCHAR], ["id", Type.INT64]], [["a", "2"], ["b", "10"]])
      : result([["name", Type.VARCHAR], ["id", Type.INT64]], [["c", "9"], ["d", "11"]]));
    const r = await execute({ kind: "Limit", count: int("3"), offset: int("1"), input: scatter("select name, id from users order by id asc limit :__upper_limit", { orderBy: [{ col: 1, desc: false }], truncateColumnCount: 1 }) }, c);
    expect(c.log[1]).toContain("{__upper_limit: 4}");
    expect(text(r)).toEqual([["c"], ["b"], ["d"]]);
    expect(r.fields.map((f) => f.name)).toEqual(["name"]);
  });

  it("None asks no shard for rows but still reports fields", async () => {
    const c = vc(() => result([["id", Type.INT64]], []));
    const r = await execute({ ...scatter("select id from users where id = null"), fieldQuery: "select id from users where 1 != 1", opcode: "None" }, c);
    expect(r.fields.map((f) => f.name)).toEqual(["id"]);
    expect(c.log[1]).toBe("ExecuteMultiShard commerce.-80: select id from users where 1 != 1 {}");
  });

  it("shard errors keep errno and SQLSTATE", async () => {
    const c = vc((rs) => (rs.shard === "80-" ? new SqlError(1146, "42S02", "Table 'commerce.users' doesn't exist") : undefined));
    await expect(execute(scatter("select * from users"), c)).rejects.toMatchObject({ errno: 1146, sqlState: "42S02" });
  });

  it("streams a scatter", async () => {
    const c = vc(() => result([["x", Type.INT64]], [["1"]]));
    const out: Result[] = [];
    for await (const r of stream(scatter("select x from users"), c)) out.push(r);
    expect(out).toHaveLength(2);
    expect(c.log[1]).toMatch(/^StreamExecuteMulti /);
  });
});

describe("aggregates", () => {
  it("scalar COUNT/SUM/MIN/MAX/AVG merge exactly", async () => {
    const fields: [string, number][] = [["count(*)", Type.INT64], ["sum(total)", Type.DECIMAL], ["min(total)", Type.DECIMAL], ["max(total)", Type.DECIMAL], ["a", Type.DECIMAL], ["count(total)", Type.INT64]];
    const c = vc((rs) => rs.shard === "-80"
      ? result(fields, [["2", "9007199254740993.10", "1.10", "5.00", "3.00", "2"]])
      : result(fields, [["3", "0.15", "0.50", "7.25", "4.00", "1"]]));
    const node: PlanNode = {
      kind: "ScalarAggregate", truncateColumnCount: 5,
      aggregates: [
        { opcode: "count_star", col: 0, alias: "count(*)" }, { opcode: "sum", col: 1, alias: "sum(total)" },
        { opcode: "min", col: 2, alias: "min(total)" }, { opcode: "max", col: 3, alias: "max(total)" },
        { opcode: "avg", col: 4, countCol: 5, alias: "a" },
      ],
      input: scatter("select count(*), sum(total), min(total), max(total), sum(total) as a, count(total) from orders"),
    };
    const r = await execute(node, c);
    expect(text(r)).toEqual([["5", "9007199254740993.25", "0.50", "7.25", "2.333333"]]);
    expect(r.fields.map((f) => f.type)).toEqual([Type.INT64, Type.DECIMAL, Type.DECIMAL, Type.DECIMAL, Type.DECIMAL]);
  });

  it("scalar aggregate over no rows: COUNT 0, SUM NULL", async () => {
    const c = vc(() => result([["count(*)", Type.INT64], ["sum(x)", Type.DECIMAL]], []));
    const r = await execute({ kind: "ScalarAggregate", aggregates: [{ opcode: "count_star", col: 0, alias: "c" }, { opcode: "sum", col: 1, alias: "s" }], input: scatter("q") }, c);
    expect(text(r)).toEqual([["0", null]]);
  });

  it("ordered aggregate groups merge-sorted shard rows", async () => {
    const c = vc((rs) => rs.shard === "-80"
      ? result([["status", Type.VARCHAR], ["count(*)", Type.INT64]], [["a", "1"], ["b", "2"]])
      : result([["status", Type.VARCHAR], ["count(*)", Type.INT64]], [["a", "5"], ["c", "1"]]));
    const r = await execute({
      kind: "OrderedAggregate", aggregates: [{ opcode: "count_star", col: 1, alias: "count(*)" }], groupBy: [{ col: 0, desc: false }],
      input: scatter("select status, count(*) from orders group by status order by status asc", { orderBy: [{ col: 0, desc: false }] }),
    }, c);
    expect(text(r)).toEqual([["a", "6"], ["b", "2"], ["c", "1"]]);
  });
});

describe("Join", () => {
  it("binds left columns for each right-side execution", async () => {
    const c = vc((rs, q) => q.sql.startsWith("select u.name")
      ? (rs.shard === "-80" ? result([["name", Type.VARCHAR], ["id", Type.INT64]], [["ann", "1"], ["bob", "4"]]) : result([["name", Type.VARCHAR], ["id", Type.INT64]], []))
      : result([["title", Type.VARCHAR]], [[`t${new TextDecoder().decode(q.bindVars.u_id!.value)}`]]));
    const r = await execute({
      kind: "Join", opcode: "Join", cols: [-1, 1], vars: { u_id: 1 },
      left: scatter("select u.name, u.id from users as u"),
      right: { ...scatter("select p.title from products as p where p.owner = :u_id"), opcode: "EqualUnique", vindex: "hash", values: [{ kind: "BindVar", name: "u_id" }] },
    }, c);
    expect(text(r)).toEqual([["ann", "t1"], ["bob", "t4"]]);
    expect(r.fields.map((f) => f.name)).toEqual(["name", "title"]);
    expect(c.log.slice(2)).toEqual([
      "ResolveDestinations commerce DestinationKeyspaceID(166b40b44aba4bd6)",
      "ExecuteMultiShard commerce.-80: select p.title from products as p where p.owner = :u_id {u_id: 1}",
      "ResolveDestinations commerce DestinationKeyspaceID(d2fd8867d50d2dfe)",
      "ExecuteMultiShard commerce.80-: select p.title from products as p where p.owner = :u_id {u_id: 4}",
    ]);
  });
});

describe("DML", () => {
  it("multi-row INSERT is split per shard by the hash vindex", async () => {
    const c = vc(() => ({ ...result([], []), rowsAffected: 1n }));
    const r = await execute({
      kind: "Insert", opcode: "InsertSharded", keyspace: commerce, tableName: "users", prefix: "insert into users(user_id, name) values ",
      rows: ["(1, 'a')", "(4, 'd')", "(2, 'b')"], suffix: "", vindex: "hash", vindexValues: [[int("1")], [int("4")], [int("2")]],
    }, c);
    expect(c.log).toEqual([
      "ResolveDestinations commerce DestinationKeyspaceID(166b40b44aba4bd6),DestinationKeyspaceID(d2fd8867d50d2dfe),DestinationKeyspaceID(06e7ea22ce92708f)",
      "ExecuteMultiShard commerce.-80: insert into users(user_id, name) values (1, 'a'), (2, 'b') {} commerce.80-: insert into users(user_id, name) values (4, 'd') {} dml autocommit=false",
    ]);
    expect(r.rowsAffected).toBe(2n);
  });

  it("auto-increment values come from the sequence", async () => {
    const c = vc((rs, q) => (q.sql.startsWith("select next") ? result([["nextval", Type.INT64]], [["1000"]]) : { ...result([], []), rowsAffected: 1n }));
    const r = await execute({
      kind: "Insert", opcode: "InsertSharded", keyspace: commerce, tableName: "customer", prefix: "insert into customer(email, id) values ",
      rows: ["('a', :__seq0)", "('b', :__seq1)"], suffix: "", vindex: "hash",
      vindexValues: [[{ kind: "BindVar", name: "__seq0" }], [{ kind: "BindVar", name: "__seq1" }]],
      generate: { keyspace: main, table: "customer_seq", column: "id", values: [null, int("5")] },
    }, c);
    expect(c.log[1]).toBe("ExecuteMultiShard main.0: select next 1 values from customer_seq {}");
    expect(c.log[3]).toContain("{__seq0: 1000, __seq1: 5}");
    expect(r.insertId).toBe(1000n);
    expect(c.lastInsertId).toBe(1000n);
  });

  it("unmappable vindex value is an error", async () => {
    await expect(execute({
      kind: "Insert", opcode: "InsertSharded", keyspace: commerce, tableName: "users", prefix: "insert into users(user_id) values ",
      rows: ["(null)"], suffix: "", vindex: "hash", vindexValues: [[{ kind: "Literal", type: Type.NULL_TYPE, value: null }]],
    }, vc())).rejects.toThrow(/could not map \[NULL\] to a keyspace id|NULL/);
  });

  it("UPDATE by vindex autocommits on one shard; DDL goes to all shards", async () => {
    const c = vc(() => ({ ...result([], []), rowsAffected: 1n }));
    await execute({ kind: "Update", opcode: "EqualUnique", keyspace: commerce, tableName: "users", query: "update users set name = 'z' where user_id = 4", vindex: "hash", values: [int("4")] }, c);
    await execute({ kind: "Send", keyspace: commerce, targetDestination: { kind: "AllShards" }, query: "create table t (id int)", isDML: false, singleShardOnly: false }, c);
    expect(c.log[1]).toBe("ExecuteMultiShard commerce.80-: update users set name = 'z' where user_id = 4 {} dml autocommit=true");
    expect(c.log[3]).toBe("ExecuteMultiShard commerce.-80: create table t (id int) {} commerce.80-: create table t (id int) {}");
  });

  it("SET goes through SessionState", async () => {
    const c = vc();
    await execute({ kind: "Set", ops: [{ scope: "user", name: "x", value: int("1"), expr: "1" }] }, c);
    expect(c.log).toEqual(["SetVariable user.x = 1"]);
  });
});
