import { create } from "@bufbuild/protobuf";
import { KeyspaceSchema } from "@vt/proto/vschema";
import { defaultVindexRegistry } from "@vt/vindexes";
import { describe, expect, it } from "vitest";
import { alterVSchema } from "./alter-vschema.js";
import { splitStatements } from "./handlers/schema.js";
import { validateVSchema } from "./validate-vschema.js";

const base = () => create(KeyspaceSchema, { sharded: true, vindexes: { hash: { type: "hash" } } });

describe("alterVSchema", () => {
  it("creates vindexes and column vindexes, auto_increment, and drops them", () => {
    let vs = alterVSchema(base(), "ALTER VSCHEMA CREATE VINDEX lk USING consistent_lookup_unique WITH table=commerce.lk, from=email, to=keyspace_id, owner=users", "commerce");
    expect(vs.vindexes["lk"]).toMatchObject({ type: "consistent_lookup_unique", params: { table: "commerce.lk", from: "email", to: "keyspace_id", owner: "users" } });
    vs = alterVSchema(vs, "alter vschema on commerce.users add vindex hash (user_id)", "commerce");
    vs = alterVSchema(vs, "alter vschema on users add vindex `x` (a, b) using xxhash", "commerce");
    expect(vs.tables["users"]?.columnVindexes.map((c) => [c.name, c.column, c.columns])).toEqual([["hash", "user_id", []], ["x", "", ["a", "b"]]]);
    vs = alterVSchema(vs, "alter vschema on users add auto_increment user_id using commerce.user_seq", "commerce");
    expect(vs.tables["users"]?.autoIncrement).toMatchObject({ column: "user_id", sequence: "commerce.user_seq" });
    vs = alterVSchema(vs, "alter vschema on users drop vindex x", "commerce");
    expect(vs.tables["users"]?.columnVindexes).toHaveLength(1);
    vs = alterVSchema(vs, "alter vschema drop table users", "commerce");
    expect(vs.tables["users"]).toBeUndefined();
  });

  it.each([
    ["alter vschema drop vindex nope", /does not exist/],
    ["alter vschema on t add vindex nope (a)", /does not exist/],
    ["alter vschema on other.t add vindex hash (a)", /does not match/],
    ["alter vschema frobnicate", /unsupported ALTER VSCHEMA/],
  ])("rejects %s", (sql, msg) => {
    expect(() => alterVSchema(base(), sql, "commerce")).toThrow(msg);
  });
});

describe("validateVSchema", () => {
  const reg = defaultVindexRegistry();
  it("accepts the seed VSchema", () => {
    const vs = alterVSchema(base(), "alter vschema on users add vindex hash (user_id)", "commerce");
    expect(validateVSchema("commerce", vs, reg)).toEqual({ unknownVindexParams: {} });
  });
  it.each([
    [{ vindexes: { h: { type: "no_such_vindex_type" } } }, /vindexType "no_such_vindex_type" not found/],
    [{ vindexes: { h: { type: "hash" } }, tables: { t: { columnVindexes: [{ column: "id", name: "nope" }] } } }, /vindex "nope" not found for table "t"/],
    [{ vindexes: { h: { type: "hash" } }, tables: { t: { columnVindexes: [{ name: "h" }] } } }, /has no column/],
    [{ vindexes: { h: { type: "hash" } }, tables: { t: {} } }, /missing primary col vindex for table: t/],
  ])("rejects %j", (init, msg) => {
    expect(() => validateVSchema("commerce", create(KeyspaceSchema, { sharded: true, ...init }), reg)).toThrow(msg);
  });
  it("allows reference tables without vindexes and unsharded keyspaces without vindexes", () => {
    expect(() => validateVSchema("c", create(KeyspaceSchema, { sharded: true, tables: { r: { type: "reference" } } }), reg)).not.toThrow();
    expect(() => validateVSchema("u", create(KeyspaceSchema, { tables: { t: {} } }), reg)).not.toThrow();
  });
});

describe("splitStatements", () => {
  it("splits on semicolons outside quotes and comments", () => {
    expect(splitStatements("CREATE TABLE a (s VARCHAR(5) DEFAULT ';');\n-- c;\nCREATE TABLE b (id INT); # x;\n")).toEqual([
      "CREATE TABLE a (s VARCHAR(5) DEFAULT ';')", "CREATE TABLE b (id INT)",
    ]);
  });
});
