import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Type } from "@vt/sqltypes";
import { buildVSchema } from "./build-vschema.js";
import { defaultVindexRegistry } from "./builtin-vindexes.js";
import type { ConsistentLookupVindex } from "./consistent-lookup-vindex.js";
import { validateKeyspaceVSchema } from "./keyspace-schema-builder.js";

const reg = defaultVindexRegistry();
const fixture = JSON.parse(readFileSync(new URL("../testdata/srv_vschema.json", import.meta.url), "utf8")) as unknown;

describe("buildVSchema", () => {
  const vs = buildVSchema(fixture, reg);
  const customer = vs.keyspaces.get("customer")!;

  it("builds keyspaces and tables", () => {
    expect([...vs.keyspaces.keys()].sort()).toEqual(["broken", "commerce", "customer", "lookup"]);
    expect(customer.error).toBeUndefined();
    expect(customer.keyspace).toEqual({ name: "customer", sharded: true });
    const t = customer.tables.get("customer")!;
    expect(t.columnVindexes.map((c) => [c.name, c.columns, c.isUnique, c.cost, c.owned])).toEqual([
      ["hash", ["customer_id"], true, 1, false],
      ["email_idx", ["email"], false, 20, true],
      ["name_idx", ["name"], true, 10, true],
    ]);
    expect(t.ownedVindexes.map((c) => c.name)).toEqual(["name_idx", "email_idx"]);
    expect(t.columns).toEqual([{ name: "customer_id", type: Type.INT64 }, { name: "email", type: Type.VARCHAR }, { name: "name", type: Type.VARCHAR }]);
    expect(t.columnListAuthoritative).toBe(true);
    expect(t.keyspace.name).toBe("customer");
  });
  it("resolves sequences, qualified and global", () => {
    const t = customer.tables.get("customer")!;
    expect(t.autoIncrement?.column).toBe("customer_id");
    expect(t.autoIncrement?.sequence.name).toBe("customer_seq");
    expect(t.autoIncrement?.sequence.type).toBe("sequence");
    expect(customer.tables.get("corder")!.autoIncrement?.sequence.keyspace.name).toBe("commerce");
  });
  it("sets owner info on consistent lookups", () => {
    const v = customer.vindexes.get("name_idx") as ConsistentLookupVindex;
    expect(v.ownerInfo()).toEqual({ keyspace: "customer", table: "customer", columns: ["name"] });
    expect(v.owner).toBe("customer");
  });
  it("reference source, multicol and pinned", () => {
    expect(customer.tables.get("dual_ref")).toMatchObject({ type: "reference", source: "commerce.dual_ref" });
    expect(customer.tables.get("multi")!.columnVindexes[0]!.columns).toEqual(["a", "b"]);
    expect(Buffer.from(customer.tables.get("pinned_t")!.pinned!).toString("hex")).toBe("80");
  });
  it("keeps going when a keyspace is broken", () => {
    const b = vs.keyspaces.get("broken")!;
    expect(b.error?.message).toBe("vindex nope not found for table t1 in keyspace broken");
    expect(b.tables.size).toBe(0);
    expect(b.keyspace.sharded).toBe(true);
  });
  it("global tables: unique names, reference sources win, explicit routing excluded", () => {
    expect(vs.globalTables.get("customer")?.keyspace.name).toBe("customer");
    expect(vs.globalTables.get("customer_seq")?.keyspace.name).toBe("commerce");
    // commerce.product is unique because keyspace `lookup` requires explicit routing.
    expect(vs.globalTables.get("product")?.keyspace.name).toBe("commerce");
    expect(vs.globalTables.has("email_idx")).toBe(false);
    // customer.dual_ref references commerce.dual_ref: the reference table is the global one.
    expect(vs.globalTables.get("dual_ref")?.keyspace.name).toBe("customer");
    expect(vs.globalTables.has("shared")).toBe(false);
    expect(vs.ambiguousTables?.has("shared")).toBe(true);
  });
  it("routing rules", () => {
    expect(vs.routingRules.get("customer.customer@replica")?.map((t) => `${t.keyspace.name}.${t.name}`)).toEqual(["customer.customer"]);
    expect(vs.routingRules.get("product")?.[0]?.keyspace.name).toBe("commerce");
    expect(vs.routingRules.get("orphan")?.[0]).toMatchObject({ name: "not_in_vschema", keyspace: { name: "commerce" } });
    expect(vs.routingRules.get("disabled")).toEqual([]);
    expect(vs.routingRuleErrors?.get("two")?.message).toBe("table two has more than one target: [commerce.product customer.customer]");
    expect(vs.routingRuleErrors?.get("bad")?.message).toBe("keyspace nokeyspace not found in vschema");
  });
  it("unresolvable sequence marks the keyspace", () => {
    const v = buildVSchema({ keyspaces: { ks: { sharded: true, vindexes: { h: { type: "hash" } }, tables: { t: { column_vindexes: [{ column: "id", name: "h" }], auto_increment: { column: "id", sequence: "nope.seq" } } } } } }, reg);
    expect(v.keyspaces.get("ks")!.error?.message).toBe("cannot resolve sequence nope.seq: keyspace nope not found in vschema");
  });
  it("unknown vindex params are warnings unless strict", () => {
    const j = { keyspaces: { ks: { sharded: true, vindexes: { h: { type: "hash", params: { foo: "1" } } }, tables: { t: { column_vindexes: [{ column: "id", name: "h" }] } } } } };
    expect(buildVSchema(j, reg).keyspaces.get("ks")!.warnings).toEqual(["vindex h in keyspace ks: unknown params for vindex type hash: foo"]);
    expect(buildVSchema(j, reg, { strict: true }).keyspaces.get("ks")!.error?.message).toContain("unknown params");
  });
  it("shard and keyspace routing rules", () => {
    const v = buildVSchema({ keyspaces: {}, shardRoutingRules: { rules: [{ fromKeyspace: "a", toKeyspace: "b", shard: "-80" }] }, keyspace_routing_rules: { rules: [{ from_keyspace: "x", to_keyspace: "y" }] } }, reg);
    expect([...v.shardRoutingRules!]).toEqual([["a.-80", "b"]]);
    expect([...v.keyspaceRoutingRules!]).toEqual([["x", "y"]]);
  });
  it("rejects a malformed top level", () => {
    expect(() => buildVSchema({ keyspaces: {}, bogus: 1 }, reg)).toThrow('unknown field "bogus" in SrvVSchema');
  });
});

describe("validateKeyspaceVSchema", () => {
  const sharded = (tables: unknown, vindexes: unknown = { hash: { type: "hash" } }) => ({ sharded: true, vindexes, tables });
  it("accepts a valid keyspace", () => {
    expect(validateKeyspaceVSchema("ks", sharded({ t: { column_vindexes: [{ column: "id", name: "hash" }] } }), reg).tables.has("t")).toBe(true);
  });
  it.each<[string, unknown, string]>([
    ["unknown vindex type", sharded({}, { v: { type: "nope" } }), 'vindex v in keyspace ks: vindexType "nope" not found'],
    ["bad vindex param", sharded({}, { v: { type: "lookup", params: { table: "x", from: "a" } } }), "vindex v in keyspace ks: lookup vindex v: missing required param 'to'"],
    ["unknown vindex param", sharded({}, { v: { type: "hash", params: { foo: "bar" } } }), "vindex v in keyspace ks: unknown params for vindex type hash: foo"],
    ["missing vindex", sharded({ t: { column_vindexes: [{ column: "id", name: "nope" }] } }), "vindex nope not found for table t in keyspace ks"],
    ["no primary vindex", sharded({ t: {} }), "missing primary col vindex for table: t (keyspace ks)"],
    ["non-unique primary", sharded({ t: { column_vindexes: [{ column: "id", name: "l" }] } }, { l: { type: "lookup", params: { table: "l", from: "a", to: "k" } } }), "primary vindex l is not Unique for table t"],
    ["owned primary", sharded({ t: { column_vindexes: [{ column: "id", name: "l" }] } }, { l: { type: "lookup_unique", params: { table: "l", from: "a", to: "k" }, owner: "t" } }), "primary vindex l cannot be owned for table t"],
    ["column and columns", sharded({ t: { column_vindexes: [{ column: "id", columns: ["a"], name: "hash" }] } }), "can't use column and columns at the same time in vindex (hash) and table (t)"],
    ["no column", sharded({ t: { column_vindexes: [{ name: "hash" }] } }), "must specify at least one column for vindex (hash) and table (t)"],
    ["two columns on hash", sharded({ t: { column_vindexes: [{ columns: ["a", "b"], name: "hash" }] } }), "vindex hash of table t takes a single column, got 2: a, b"],
    ["bad column type", sharded({ t: { column_vindexes: [{ column: "id", name: "hash" }], columns: [{ name: "id", type: "NUMBERISH" }] } }), 'column id of table t in keyspace ks: unknown column type "NUMBERISH"'],
    ["duplicate column", sharded({ t: { column_vindexes: [{ column: "id", name: "hash" }], columns: [{ name: "id" }, { name: "ID" }] } }), "duplicate column name 'ID' for table: t"],
    ["sharded sequence", sharded({ s: { type: "sequence" } }), "sequence table has to be in an unsharded keyspace or must be pinned: s"],
    ["bad table type", { tables: { t: { type: "view" } } }, "unidentified table type view for table t in keyspace ks"],
    ["reference with vindex", sharded({ r: { type: "reference", column_vindexes: [{ column: "id", name: "hash" }] } }), "reference table r cannot have vindexes (keyspace ks)"],
    ["unqualified source", { tables: { r: { type: "reference", source: "r" } } }, "invalid source r for reference table r: must be qualified as keyspace.table"],
    ["source on non-reference", { tables: { r: { source: "a.r" } } }, "source is only allowed for reference tables: table r in keyspace ks"],
    ["bad pin", sharded({ p: { pinned: "zz" } }), "could not decode the keyspace id for pin: zz (table p in keyspace ks)"],
    ["unknown keyspace field", { shardedd: true }, 'unknown field "shardedd" in keyspace ks'],
    ["unknown table field", { tables: { t: { colum_vindexes: [] } } }, 'unknown field "colum_vindexes" in table t in keyspace ks'],
    ["unknown column vindex field", sharded({ t: { column_vindexes: [{ column: "id", name: "hash", x: 1 }] } }), 'unknown field "x" in column_vindexes[0] of table t in keyspace ks'],
    ["auto_increment on non-sequence", { tables: { t: { auto_increment: { column: "id", sequence: "u" } }, u: {} } }, "auto_increment of table t: u is not a sequence table"],
    ["wrong type of sharded", { sharded: "yes" }, "keyspace ks: sharded must be a boolean"],
  ])("%s", (_n, json, msg) => {
    let err: unknown;
    try {
      validateKeyspaceVSchema("ks", json, reg);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ errno: 1105, sqlState: "HY000", message: msg });
  });
  it("accepts lowerCamel keys", () => {
    const ks = validateKeyspaceVSchema("ks", { sharded: true, vindexes: { h: { type: "hash" } }, tables: { t: { columnVindexes: [{ column: "id", name: "h" }], columnListAuthoritative: true } }, requireExplicitRouting: true }, reg);
    expect([ks.requireExplicitRouting, ks.tables.get("t")!.columnListAuthoritative]).toEqual([true, true]);
  });
});
