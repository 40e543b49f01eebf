import { describe, expect, it } from "vitest";
import { SqlError } from "@vt/errors";
import { defaultVindexRegistry } from "./builtin-vindexes.js";
import type { ConsistentLookupVindex } from "./consistent-lookup-vindex.js";
import { FakeLookupCursor, rowsResult } from "./fake-lookup-cursor.js";
import type { LookupVindex } from "./lookup-vindex.js";
import { B, I, N, S, hex, show } from "./test-helpers.js";

const reg = defaultVindexRegistry();
const P = { table: "name_user_map", from: "name", to: "keyspace_id" };
const mk = (type: string, extra: Record<string, string> = {}, owner = "user") => reg.create(type, "name_idx", { ...P, ...extra }, owner) as LookupVindex;
const dup = () => new SqlError(1062, "23000", "Duplicate entry 'x' for key 'PRIMARY'", "ALREADY_EXISTS");

describe("lookup params", () => {
  it.each([
    ["lookup", 20, false], ["lookup_unique", 10, true], ["lookup_hash", 20, false], ["lookup_hash_unique", 10, true],
    ["consistent_lookup", 20, false], ["consistent_lookup_unique", 10, true],
  ])("%s cost %i unique %s", (t, cost, unique) => {
    const v = mk(t);
    expect([v.cost, v.isUnique, v.needsVCursor, v.lookup, v.owner, v.table, v.fromColumns, v.toColumn]).toEqual([cost, unique, true, true, "user", "name_user_map", ["name"], "keyspace_id"]);
  });
  it.each<[Record<string, string>, string]>([
    [{ table: "" }, "missing required param 'table'"],
    [{ autocommit: "yes" }, "autocommit value must be 'true' or 'false': 'yes'"],
    [{ read_lock: "weird" }, "invalid read_lock value: weird"],
  ])("rejects %j", (p, msg) => expect(() => mk("lookup", p)).toThrow(msg));
});

describe("lookup map", () => {
  it("batches integral ids in one in-query and maps rows back", async () => {
    const vc = new FakeLookupCursor(() => rowsResult([["1", "0x01"], ["2", "0x02"], ["2", "0x03"]]));
    const v = mk("lookup");
    const d = await v.map([I(1), I(2), I(3)], vc);
    expect(d.map(show)).toEqual(["01", "02,03", "None"]);
    expect(vc.log).toEqual(["select name, keyspace_id from name_user_map where name in ::name {name: (1,2,3)} [commitOrder=NORMAL]"]);
  });
  it("queries non-integral ids one by one", async () => {
    const vc = new FakeLookupCursor((_s, bv) => (new TextDecoder().decode(bv["name"]!.values[0]!.value) === "a" ? rowsResult([["a", "0x0a"]]) : rowsResult([])));
    const d = await mk("lookup_unique").map([S("a"), S("b")], vc);
    expect(d.map(show)).toEqual(["0a", "None"]);
    expect(vc.log).toHaveLength(2);
  });
  it("unique rejects multiple rows", async () => {
    const vc = new FakeLookupCursor(() => rowsResult([["1", "0x01"], ["1", "0x02"]]));
    await expect(mk("lookup_unique").map([I(1)], vc)).rejects.toThrow("unexpected multiple results from vindex name_idx");
  });
  it("uses the read lock inside DML transactions", async () => {
    const vc = new FakeLookupCursor();
    vc.inTx = true;
    await mk("lookup", { read_lock: "shared" }).map([I(1)], vc);
    expect(vc.log[0]).toContain("where name in ::name lock in share mode");
  });
  it("write_only maps to the full range and verifies true", async () => {
    const vc = new FakeLookupCursor();
    const v = mk("lookup", { write_only: "true" });
    expect((await v.map([I(1)], vc)).map(show)).toEqual(["[-]"]);
    expect(await v.verify([I(1)], [hex("01")], vc)).toEqual([true]);
    expect(vc.log).toEqual([]);
  });
  it("lookup_hash stores unhashed uint64s", async () => {
    const vc = new FakeLookupCursor(() => rowsResult([["1", "1"]]));
    const v = mk("lookup_hash_unique");
    expect((await v.map([I(1)], vc)).map(show)).toEqual(["166b40b44aba4bd6"]);
    await v.create(vc, [[S("x")]], [hex("166b40b44aba4bd6")], false);
    expect(vc.log[1]).toBe("insert into name_user_map(name, keyspace_id) values(:name_0, :keyspace_id_0) {keyspace_id_0: 1, name_0: x} [commitOrder=NORMAL rollbackOnError]");
  });
  it("autocommit runs lookups in autocommit", async () => {
    const vc = new FakeLookupCursor();
    await mk("lookup", { autocommit: "true" }).map([I(1)], vc);
    expect(vc.log[0]).toContain("[commitOrder=AUTOCOMMIT autocommit]");
  });
  it("fails without a cursor", async () => {
    await expect(mk("lookup").map([I(1)])).rejects.toThrow("no vcursor provided");
  });
});

describe("lookup verify/create/delete/update", () => {
  it("verify issues one query per value", async () => {
    const vc = new FakeLookupCursor((_s, bv) => rowsResult(new TextDecoder().decode(bv["name"]!.value) === "1" ? [["1"]] : []));
    expect(await mk("lookup").verify([I(1), I(2)], [hex("01"), hex("02")], vc)).toEqual([true, false]);
    expect(vc.log[0]).toBe("select name from name_user_map where name = :name and keyspace_id = :keyspace_id {keyspace_id: 0x01, name: 1} [commitOrder=NORMAL]");
  });
  it("no_verify skips", async () => {
    const vc = new FakeLookupCursor();
    expect(await mk("lookup", { no_verify: "true" }).verify([I(1)], [hex("01")], vc)).toEqual([true]);
    expect(vc.log).toEqual([]);
  });
  it("create sorts rows, uses insert ignore in ignore mode", async () => {
    const vc = new FakeLookupCursor();
    await mk("lookup").create(vc, [[I(3)], [I(1)]], [hex("03"), hex("01")], true);
    expect(vc.log).toEqual([
      "insert ignore into name_user_map(name, keyspace_id) values(:name_0, :keyspace_id_0), (:name_1, :keyspace_id_1) {keyspace_id_0: 0x01, keyspace_id_1: 0x03, name_0: 1, name_1: 3} [commitOrder=NORMAL ignoreDuplicates rollbackOnError]",
    ]);
  });
  it("create rejects nulls unless ignore_nulls", async () => {
    const vc = new FakeLookupCursor();
    await expect(mk("lookup").create(vc, [[N()]], [hex("01")], false)).rejects.toThrow("lookup.Create: input has null values: row: 0, col: 0, cols: name");
    await mk("lookup", { ignore_nulls: "true" }).create(vc, [[N()]], [hex("01")], false);
    expect(vc.log).toEqual([]);
  });
  it("create keeps errno on failure", async () => {
    const vc = new FakeLookupCursor(() => dup());
    await expect(mk("lookup_unique").create(vc, [[I(1)]], [hex("01")], false)).rejects.toMatchObject({ errno: 1062, message: expect.stringContaining("lookup.Create: Duplicate entry") });
  });
  it("multi-column from", async () => {
    const vc = new FakeLookupCursor();
    const v = reg.create("lookup", "mc", { table: "t", from: "a,b", to: "ks" }) as LookupVindex;
    await v.create(vc, [[I(1), S("x")]], [hex("01")], false);
    await v.delete(vc, [[I(1), S("x")]], hex("01"));
    expect(vc.log).toEqual([
      "insert into t(a, b, ks) values(:a_0, :b_0, :ks_0) {a_0: 1, b_0: x, ks_0: 0x01} [commitOrder=NORMAL rollbackOnError]",
      "delete from t where a = :a and b = :b and ks = :ks {a: 1, b: x, ks: 0x01} [commitOrder=NORMAL rollbackOnError]",
    ]);
  });
  it("update = delete + insert; autocommit delete is a no-op", async () => {
    const vc = new FakeLookupCursor();
    await mk("lookup").update(vc, [S("old")], hex("01"), [S("new")]);
    expect(vc.log.map((l) => l.split(" {")[0])).toEqual([
      "delete from name_user_map where name = :name and keyspace_id = :keyspace_id",
      "insert into name_user_map(name, keyspace_id) values(:name_0, :keyspace_id_0)",
    ]);
    const vc2 = new FakeLookupCursor();
    await mk("lookup", { autocommit: "true" }).delete(vc2, [[S("x")]], hex("01"));
    expect(vc2.log).toEqual([]);
  });
  it("exposes the VindexLookup query", () => {
    expect(mk("lookup").query()).toEqual({ sql: "select name, keyspace_id from name_user_map where name in ::name", arg: "name" });
  });
});

describe("consistent_lookup", () => {
  const cl = (unique = true) => {
    const v = mk(unique ? "consistent_lookup_unique" : "consistent_lookup") as ConsistentLookupVindex;
    v.setOwnerInfo("user", "user", ["name"]);
    return v;
  };
  it("generates owner queries", () => {
    expect(cl().ownerQueries()).toEqual({
      lockLookup: "select keyspace_id from name_user_map where name = :name for update",
      lockOwner: "select name from user where name = :name for update",
      insertLookup: "insert into name_user_map(name, keyspace_id) values(:name, :keyspace_id)",
      updateLookup: "update name_user_map set keyspace_id=:keyspace_id where name = :name",
    });
  });
  it("map and create run in the PRE session; delete in POST", async () => {
    const vc = new FakeLookupCursor();
    const v = cl();
    await v.map([I(1)], vc);
    await v.create(vc, [[I(1)]], [hex("01")], false);
    await v.delete(vc, [[I(1)]], hex("01"));
    expect(vc.log.map((l) => l.replace(/ \{.*\}/, ""))).toEqual([
      "select name, keyspace_id from name_user_map where name in ::name [commitOrder=PRE]",
      "insert into name_user_map(name, keyspace_id) values(:name_0, :keyspace_id_0) [commitOrder=PRE rollbackOnError]",
      "delete from name_user_map where name = :name and keyspace_id = :keyspace_id [commitOrder=POST rollbackOnError]",
    ]);
  });
  const dupFlow = (lookupRows: string[][], ownerRows: string[][]) => new FakeLookupCursor((sql) => {
    if (sql.startsWith("insert into name_user_map(name, keyspace_id) values(:name_0")) return dup();
    if (sql.includes("for update") && sql.startsWith("select keyspace_id")) return rowsResult(lookupRows);
    if (sql.startsWith("select name from user")) return rowsResult(ownerRows);
    return rowsResult([]);
  });
  it("dup with a live owner row fails with 1062", async () => {
    const vc = dupFlow([["0x02"]], [["a"]]);
    await expect(cl().create(vc, [[S("a")]], [hex("01")], false)).rejects.toMatchObject({ errno: 1062 });
    expect(vc.log[2]).toBe("user[02] select name from user where name = :name for update {keyspace_id: 0x01, name: a}");
  });
  it("dup with a gone owner row takes the lookup row over", async () => {
    const vc = dupFlow([["0x02"]], []);
    await cl().create(vc, [[S("a")]], [hex("01")], false);
    expect(vc.log[3]).toBe("update name_user_map set keyspace_id=:keyspace_id where name = :name {keyspace_id: 0x01, name: a} [commitOrder=PRE rollbackOnError]");
  });
  it("dup whose row vanished re-inserts; same ksid is a no-op", async () => {
    const vc = dupFlow([], []);
    await cl().create(vc, [[S("a")]], [hex("01")], false);
    expect(vc.log[2]).toContain("insert into name_user_map(name, keyspace_id) values(:name, :keyspace_id)");
    const vc2 = dupFlow([["0x01"]], []);
    await cl().create(vc2, [[S("a")]], [hex("01")], false);
    expect(vc2.log).toHaveLength(3);
  });
  it("update with unchanged values does nothing", async () => {
    const vc = new FakeLookupCursor();
    await cl().update(vc, [S("a")], hex("01"), [S("a")]);
    expect(vc.log).toEqual([]);
    await cl().update(vc, [S("a")], hex("01"), [B("b")]);
    expect(vc.log).toHaveLength(2);
  });
  it("ignore_nulls with a single NULL scatters", async () => {
    const v = mk("consistent_lookup", { ignore_nulls: "true" });
    expect((await v.map([N()], new FakeLookupCursor())).map(show)).toEqual(["[-]"]);
  });
  it("owner column count must match", () => {
    expect(() => cl().setOwnerInfo("user", "user", ["a", "b"])).toThrow("owner table column count does not match vindex name_idx");
  });
});

describe("lookup_unicodeloosemd5_hash", () => {
  it("stores md5-of-weights prefixes as uint64 and hashed ksids", async () => {
    const vc = new FakeLookupCursor(() => rowsResult([[BigInt("0x0b5edbb401fd7524").toString(), "1"]]));
    const v = mk("lookup_unicodeloosemd5_hash_unique");
    expect([v.cost, v.isUnique]).toEqual([10, true]);
    expect((await v.map([S("Test")], vc)).map(show)).toEqual(["166b40b44aba4bd6"]);
    await v.map([S("TÉST ")], vc);
    // 0b5edbb401fd7524 (unicode_loose_md5 of "Test") as a big-endian uint64.
    const want = BigInt("0x0b5edbb401fd7524").toString();
    expect(vc.log).toEqual([
      `select name, keyspace_id from name_user_map where name in ::name {name: (${want})} [commitOrder=NORMAL]`,
      `select name, keyspace_id from name_user_map where name in ::name {name: (${want})} [commitOrder=NORMAL]`,
    ]);
    await v.create(vc, [[S("Test")]], [hex("166b40b44aba4bd6")], false);
    expect(vc.log[2]).toContain(`{keyspace_id_0: 1, name_0: ${want}}`);
    expect(mk("lookup_unicodeloosemd5_hash").cost).toBe(20);
  });
});
