// Engine tests for the DML side with owned lookup vindexes and the VindexFunc primitive, against the logging fake
// (shard calls) and a logging lookup cursor (lookup-table queries).
import { describe, expect, it } from "vitest";
import type { Delete, Insert, Route, Update, VindexFunc, VindexLookup } from "@vt/plan";
import { makeField, Type, type BindVariable, type Result } from "@vt/sqltypes";
import { defaultVindexRegistry, type KeyspaceSchema, type LookupCursor, type VSchema } from "@vt/vindexes";
import { execute } from "./execute.js";
import { LoggingVCursor, type FakeShardResults } from "./testing/logging-vcursor.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const commerce = { name: "commerce", sharded: true };

function vschema(): VSchema {
  const reg = defaultVindexRegistry();
  const vindexes = new Map([
    ["hash", reg.create("hash", "hash")],
    ["lk_email", reg.create("lookup_unique", "lk_email", { table: "email_idx", from: "email", to: "keyspace_id" }, "users")],
  ]);
  const ks: KeyspaceSchema = { keyspace: commerce, tables: new Map(), vindexes, requireExplicitRouting: false };
  return { keyspaces: new Map([["commerce", ks]]), globalTables: new Map(), routingRules: new Map() };
}

const show = (bv: BindVariable): string =>
  bv.type === Type.TUPLE ? `(${bv.values.map((v) => dec.decode(v.value)).join(",")})` : bv.type === Type.VARBINARY ? Buffer.from(bv.value).toString("hex") : dec.decode(bv.value);

/** A LoggingVCursor plus a lookup cursor logging `Lookup[order] sql {bv}` into the same log. */
function cursor(results: FakeShardResults = () => undefined, lookupResult: (sql: string) => Result | Error = () => empty()) {
  const vc = new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, results);
  const txLog: string[] = [];
  const lookup: LookupCursor = {
    async execute(sql, bv, opts) {
      vc.log.push(`Lookup[${opts.commitOrder ?? "NORMAL"}] ${sql} {${Object.keys(bv).sort().map((k) => `${k}: ${show(bv[k]!)}`).join(", ")}}`);
      const r = lookupResult(sql);
      if (r instanceof Error) throw r;
      return r;
    },
  };
  const transaction = async <T>(fn: () => Promise<T>): Promise<T> => {
    txLog.push("begin");
    try { const r = await fn(); txLog.push("commit"); return r; } catch (e) { txLog.push("rollback"); throw e; }
  };
  return Object.assign(vc, { lookup, transaction, txLog });
}

const empty = (): Result => ({ fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" });
const result = (fields: [string, number][], rows: (string | null)[][]): Result => ({
  fields: fields.map(([n, t]) => makeField(n, t)), rows: rows.map((r) => r.map((v) => (v === null ? null : enc.encode(v)))),
  rowsAffected: 0n, insertId: 0n, info: "",
});
const text = (r: Result) => r.rows.map((row) => row.map((c) => (c === null ? null : dec.decode(c))));
const int = (s: string) => ({ kind: "Literal" as const, type: Type.INT64, value: s });
const str = (s: string | null) => ({ kind: "Literal" as const, type: s === null ? Type.NULL_TYPE : Type.VARCHAR, value: s });

describe("VindexFunc", () => {
  it("maps ids through the vindex and reports the shard", async () => {
    const c = cursor();
    const node: VindexFunc = {
      kind: "VindexFunc", opcode: "VindexMap", keyspace: commerce, vindex: "hash", value: { kind: "Tuple", exprs: [int("1"), int("4")] },
      cols: [{ col: 0, name: "id" }, { col: 4, name: "hex_keyspace_id" }, { col: 5, name: "shard" }, { col: 2, name: "range_start" }],
    };
    const r = await execute(node, c);
    expect(text(r)).toEqual([["1", "166b40b44aba4bd6", "-80", null], ["4", "d2fd8867d50d2dfe", "80-", null]]);
    expect(r.fields.map((f) => f.name)).toEqual(["id", "hex_keyspace_id", "shard", "range_start"]);
  });

  it("maps through a lookup vindex with the lookup cursor; unknown ids give no row", async () => {
    const c = cursor(undefined, () => result([["email", Type.VARCHAR], ["keyspace_id", Type.VARBINARY]], [["a@x", "\u0016k"]]));
    const node: VindexFunc = { kind: "VindexFunc", opcode: "VindexMap", keyspace: commerce, vindex: "lk_email", value: str("a@x"), cols: [{ col: 4, name: "hex_keyspace_id" }] };
    expect(text(await execute(node, c))).toEqual([["166b"]]);
    expect(c.log[0]).toBe("Lookup[NORMAL] select email, keyspace_id from email_idx where email in ::email {email: (a@x)}");
  });
});

describe("INSERT with an owned lookup", () => {
  const insert = (ignore = false): Insert => ({
    kind: "Insert", opcode: "InsertSharded", keyspace: commerce, tableName: "users",
    prefix: `insert ${ignore ? "ignore " : ""}into users(user_id, email) values `, rows: ["(1, 'a@x')", "(4, 'b@x')"], suffix: "",
    vindex: "hash", vindexValues: [[int("1")], [int("4")]],
    owned: [{ vindex: "lk_email", columns: ["email"], values: [[str("a@x")], [str("b@x")]] }],
    ...(ignore ? { ignore: true } : {}),
  });

  it("creates lookup rows with the rows' keyspace ids, then inserts per shard, in one transaction", async () => {
    const c = cursor();
    await execute(insert(), c);
    expect(c.log).toEqual([
      "Lookup[NORMAL] insert into email_idx(email, keyspace_id) values(:email_0, :keyspace_id_0), (:email_1, :keyspace_id_1) {email_0: a@x, email_1: b@x, keyspace_id_0: 166b40b44aba4bd6, keyspace_id_1: d2fd8867d50d2dfe}",
      "ResolveDestinations commerce DestinationKeyspaceID(166b40b44aba4bd6),DestinationKeyspaceID(d2fd8867d50d2dfe)",
      "ExecuteMultiShard commerce.-80: insert into users(user_id, email) values (1, 'a@x') {} commerce.80-: insert into users(user_id, email) values (4, 'b@x') {} dml autocommit=false",
    ]);
    expect(c.txLog).toEqual(["begin", "commit"]);
  });

  it("a duplicate lookup value fails the statement before any row is inserted", async () => {
    const dup = Object.assign(new Error("Duplicate entry 'b@x' for key 'PRIMARY'"), { errno: 1062, sqlState: "23000" });
    const c = cursor(undefined, (sql) => (sql.startsWith("insert") ? dup : empty()));
    await expect(execute(insert(), c)).rejects.toMatchObject({ errno: 1062 });
    expect(c.log.some((l) => l.startsWith("ExecuteMultiShard"))).toBe(false);
    expect(c.txLog).toEqual(["begin", "rollback"]);
  });

  it("two rows with the same unique lookup value fail with 1062 before anything is written", async () => {
    const c = cursor();
    const node = insert();
    await expect(execute({ ...node, owned: [{ vindex: "lk_email", columns: ["email"], values: [[str("a@x")], [str("a@x")]] }] }, c)).rejects.toMatchObject({ errno: 1062, sqlState: "23000" });
    expect(c.log).toEqual([]);
  });

  it("INSERT IGNORE verifies the lookup rows and drops rows owned by another keyspace id", async () => {
    const c = cursor(undefined, (sql) => (sql.startsWith("select email from email_idx") && !sql.includes("zz") ? verifyOnlyFirst() : empty()));
    let n = 0;
    function verifyOnlyFirst(): Result { return n++ === 0 ? result([["email", Type.VARCHAR]], [["a@x"]]) : empty(); }
    await execute(insert(true), c);
    expect(c.log[0]).toMatch(/^Lookup\[NORMAL\] insert ignore into email_idx/);
    expect(c.log.filter((l) => l.startsWith("Lookup[NORMAL] select email from email_idx where email = :email and keyspace_id = :keyspace_id"))).toHaveLength(2);
    expect(c.log.at(-1)).toBe("ExecuteMultiShard commerce.-80: insert ignore into users(user_id, email) values (1, 'a@x') {} dml autocommit=true");
  });
});

describe("UPDATE/DELETE with an owned lookup", () => {
  const owned = (newValues?: boolean) => ({
    query: "select user_id, email from users where user_id = 4 for update", primaryVindex: "hash", primaryCols: [0],
    vindexes: [{ vindex: "lk_email", columns: ["email"], oldCols: [1], ...(newValues ? { newValues: [str("c@x")] } : {}) }],
  });
  const selected = (email: string): FakeShardResults => (_rs, q) =>
    q.sql.startsWith("select") ? result([["user_id", Type.INT64], ["email", Type.VARCHAR]], [["4", email]]) : undefined;

  it("DELETE selects the rows' lookup columns, deletes their lookup rows, then the rows", async () => {
    const c = cursor(selected("b@x"));
    const node: Delete = { kind: "Delete", opcode: "EqualUnique", keyspace: commerce, tableName: "users", query: "delete from users where user_id = 4", vindex: "hash", values: [int("4")], owned: owned() };
    await execute(node, c);
    expect(c.log.filter((l) => !l.startsWith("Resolve"))).toEqual([
      "ExecuteMultiShard commerce.80-: select user_id, email from users where user_id = 4 for update {}",
      "Lookup[NORMAL] delete from email_idx where email = :email and keyspace_id = :keyspace_id {email: b@x, keyspace_id: d2fd8867d50d2dfe}",
      "ExecuteMultiShard commerce.80-: delete from users where user_id = 4 {} dml autocommit=true",
    ]);
  });

  it("UPDATE replaces the lookup row only when the value changes", async () => {
    const node: Update = { kind: "Update", opcode: "EqualUnique", keyspace: commerce, tableName: "users", query: "update users set email = 'c@x' where user_id = 4", vindex: "hash", values: [int("4")], owned: owned(true) };
    const c = cursor(selected("b@x"));
    await execute(node, c);
    expect(c.log.filter((l) => l.startsWith("Lookup")).map((l) => l.split(" {")[0])).toEqual([
      "Lookup[NORMAL] delete from email_idx where email = :email and keyspace_id = :keyspace_id",
      "Lookup[NORMAL] insert into email_idx(email, keyspace_id) values(:email_0, :keyspace_id_0)",
    ]);
    const same = cursor(selected("c@x"));
    await execute(node, same);
    expect(same.log.filter((l) => l.startsWith("Lookup"))).toEqual([]);
    expect(same.log.at(-1)).toBe("ExecuteMultiShard commerce.80-: update users set email = 'c@x' where user_id = 4 {} dml autocommit=true");
  });
});

describe("VindexLookup", () => {
  const lookupRoute: Route = {
    kind: "Route", opcode: "Scatter", keyspace: commerce, tableName: "email_idx",
    query: "select email, keyspace_id from email_idx where email in ::email", fieldQuery: "select email, keyspace_id from email_idx where 1 != 1",
  };
  const node = (opcode: VindexLookup["opcode"], value: VindexLookup["values"][number]): VindexLookup => ({
    kind: "VindexLookup", opcode, keyspace: commerce, vindex: "lk_email", values: [value], lookup: lookupRoute, arg: "email",
    sendTo: { kind: "Route", opcode, keyspace: commerce, tableName: "users", query: "select user_id from users where email = 'b@x'", fieldQuery: "select user_id from users where 1 != 1" },
  });

  it("runs the lookup query, then sends the route only to the shard found", async () => {
    // the lookup row's keyspace id is the text "Òý" (UTF-8 c3 92 c3 bd): its first byte 0xc3 lies in 80-
    const c = cursor((rs, q) => (q.sql.includes("email_idx") && rs.shard === "80-" ? result([["email", Type.VARCHAR], ["keyspace_id", Type.VARBINARY]], [["b@x", "\u00d2\u00fd"]]) : undefined));
    await execute(node("EqualUnique", str("b@x")), c);
    expect(c.log.filter((l) => l.startsWith("ExecuteMultiShard"))).toEqual([
      "ExecuteMultiShard commerce.-80: select email, keyspace_id from email_idx where email in ::email {email: ('b@x')} commerce.80-: select email, keyspace_id from email_idx where email in ::email {email: ('b@x')}",
      "ExecuteMultiShard commerce.80-: select user_id from users where email = 'b@x' {}",
    ]);
  });

  it("an id without lookup rows routes nowhere and returns only fields", async () => {
    const c = cursor((_rs, q) => (q.sql.includes("1 != 1") ? result([["user_id", Type.INT64]], []) : undefined));
    const r = await execute(node("EqualUnique", str("zz")), c);
    expect(r.fields.map((f) => f.name)).toEqual(["user_id"]);
    expect(c.log.filter((l) => l.startsWith("ExecuteMultiShard")).at(-1)).toContain("where 1 != 1");
  });
});

describe("INSERT with a multi-column primary vindex", () => {
  it("maps each row's columns together (region_experimental) and splits rows per shard", async () => {
    const c = cursor();
    const ks = c.vschema.keyspaces.get("commerce")!.vindexes as Map<string, unknown>;
    ks.set("region", defaultVindexRegistry().create("region_experimental", "region", { region_bytes: "1" }));
    const node: Insert = {
      kind: "Insert", opcode: "InsertSharded", keyspace: commerce, tableName: "t", prefix: "insert into t(region, id) values ",
      rows: ["(16, 1)", "(144, 1)"], suffix: "", vindex: "region", vindexValues: [[int("16"), int("1")], [int("144"), int("1")]],
    };
    await execute(node, c);
    expect(c.log.at(-1)).toBe("ExecuteMultiShard commerce.-80: insert into t(region, id) values (16, 1) {} commerce.80-: insert into t(region, id) values (144, 1) {} dml autocommit=false");
  });
});

describe("owned lookups under a multi-column primary vindex", () => {
  const withRegion = (c: ReturnType<typeof cursor>) => {
    const ks = c.vschema.keyspaces.get("commerce")!.vindexes as Map<string, unknown>;
    ks.set("region", defaultVindexRegistry().create("region_experimental", "region", { region_bytes: "1" }));
    return c;
  };

  it("INSERT creates lookup rows with the keyspace ids of all the primary columns", async () => {
    const c = withRegion(cursor());
    const node: Insert = {
      kind: "Insert", opcode: "InsertSharded", keyspace: commerce, tableName: "t", prefix: "insert into t(region, id, email) values ",
      rows: ["(16, 1, 'a@x')", "(144, 1, 'b@x')"], suffix: "", vindex: "region", vindexValues: [[int("16"), int("1")], [int("144"), int("1")]],
      owned: [{ vindex: "lk_email", columns: ["email"], values: [[str("a@x")], [str("b@x")]] }],
    };
    await execute(node, c);
    expect(c.log.filter((l) => l.startsWith("Lookup"))).toEqual([
      "Lookup[NORMAL] insert into email_idx(email, keyspace_id) values(:email_0, :keyspace_id_0), (:email_1, :keyspace_id_1) {email_0: a@x, email_1: b@x, keyspace_id_0: 10166b40b44aba4bd6, keyspace_id_1: 90166b40b44aba4bd6}",
    ]);
  });

  it("DELETE deletes lookup rows by the keyspace id of the selected rows' primary columns together", async () => {
    const c = withRegion(cursor((rs, q) => (q.sql.startsWith("select") && rs.shard === "80-"
      ? result([["region", Type.INT64], ["id", Type.INT64], ["email", Type.VARCHAR]], [["144", "1", "b@x"]]) : undefined)));
    const node: Delete = {
      kind: "Delete", opcode: "Scatter", keyspace: commerce, tableName: "t", query: "delete from t where id = 1",
      owned: { query: "select region, id, email from t where id = 1 for update", primaryVindex: "region", primaryCols: [0, 1], vindexes: [{ vindex: "lk_email", columns: ["email"], oldCols: [2] }] },
    };
    await execute(node, c);
    expect(c.log.filter((l) => l.startsWith("Lookup"))).toEqual([
      "Lookup[NORMAL] delete from email_idx where email = :email and keyspace_id = :keyspace_id {email: b@x, keyspace_id: 90166b40b44aba4bd6}",
    ]);
  });

  it("UPDATE moves the lookup row under the same multi-column keyspace id", async () => {
    const c = withRegion(cursor((rs, q) => (q.sql.startsWith("select") && rs.shard === "-80"
      ? result([["region", Type.INT64], ["id", Type.INT64], ["email", Type.VARCHAR]], [["16", "1", "a@x"]]) : undefined)));
    const node: Update = {
      kind: "Update", opcode: "Scatter", keyspace: commerce, tableName: "t", query: "update t set email = 'c@x' where id = 1",
      owned: { query: "select region, id, email from t where id = 1 for update", primaryVindex: "region", primaryCols: [0, 1], vindexes: [{ vindex: "lk_email", columns: ["email"], oldCols: [2], newValues: [str("c@x")] }] },
    };
    await execute(node, c);
    expect(c.log.filter((l) => l.startsWith("Lookup"))).toEqual([
      "Lookup[NORMAL] delete from email_idx where email = :email and keyspace_id = :keyspace_id {email: a@x, keyspace_id: 10166b40b44aba4bd6}",
      "Lookup[NORMAL] insert into email_idx(email, keyspace_id) values(:email_0, :keyspace_id_0) {email_0: c@x, keyspace_id_0: 10166b40b44aba4bd6}",
    ]);
  });
});
