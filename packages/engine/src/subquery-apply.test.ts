// SubqueryApply against the logging fake: one subquery execution per outer row with the correlated column bound,
// MariaDB's NULL rules for IN / NOT IN / ANY / ALL, 1242 for a scalar subquery with several rows, one execution for
// an uncorrelated subquery, and --max_memory_rows.
import { describe, expect, it } from "vitest";
import type { PlanNode, Route, SubqueryApply } from "@vt/plan";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { execute } from "./execute.js";
import { LoggingVCursor } from "./testing/logging-vcursor.js";
import { COMMERCE as commerce, hashVSchema as vschema, rowsOf, textRows as text } from "./testing/engine-fixtures.js";

const dec = new TextDecoder();

const result = (fields: [string, number][], rows: (string | null)[][]): Result => ({
  fields: fields.map(([n, t]) => makeField(n, t)),
  ...rowsOf(rows),
});
const scatter = (query: string): Route => ({ kind: "Route", opcode: "Scatter", keyspace: commerce, tableName: "t", query, fieldQuery: query });

/** Outer rows u_id 1, 2, 3 (and NULL) from shard -80; the subquery's rows per bound u_id come from `inner`. */
function cursor(inner: Record<string, (string | null)[]>, outer: (string | null)[] = ["1", "2", "3"]) {
  return new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, (rs, q) => {
    if (q.sql.startsWith("select u.id")) return rs.shard === "-80" ? result([["id", Type.INT64]], outer.map((v) => [v])) : result([["id", Type.INT64]], []);
    if (rs.shard !== "-80") return result([["v", Type.INT64]], []);
    const bv = q.bindVars["u_id"];
    const key = bv === undefined ? "*" : bv.type === Type.NULL_TYPE ? "null" : dec.decode(bv.value);
    return result([["v", Type.INT64]], (inner[key] ?? []).map((v) => [v]));
  });
}
const apply = (extra: Partial<SubqueryApply>): PlanNode => ({
  kind: "SubqueryApply", opcode: "Value", vars: { u_id: 0 }, name: "__sq_apply1",
  outer: scatter("select u.id from u"), subquery: scatter("select o.v from o where o.k = :u_id"), ...extra,
});
const operand = { kind: "Column" as const, offset: 0 };

describe("SubqueryApply", () => {
  it("Value: runs the subquery once per outer row with the correlated column bound; no row gives NULL", async () => {
    const c = cursor({ "1": ["10"], "3": ["30"] });
    const r = await execute(apply({}), c);
    expect(text(r)).toEqual([["1", "10"], ["2", null], ["3", "30"]]);
    expect(r.fields.map((f) => [f.name, f.type])).toEqual([["id", Type.INT64], ["__sq_apply1", Type.INT64]]);
    const sub = c.log.filter((l) => l.includes("o.k = :u_id"));
    expect(sub).toEqual([1, 2, 3].map((n) =>
      `ExecuteMultiShard commerce.-80: select o.v from o where o.k = :u_id {u_id: ${n}} commerce.80-: select o.v from o where o.k = :u_id {u_id: ${n}}`));
  });

  it("Value: a subquery returning several rows for an outer row fails with 1242", async () => {
    await expect(execute(apply({}), cursor({ "2": ["1", "2"] }))).rejects.toMatchObject({ errno: 1242, sqlState: "21000" });
  });

  it("Any(=) is IN: a match gives 1, no match with a NULL in the set gives NULL, an empty set gives 0", async () => {
    const c = cursor({ "1": ["1", null], "2": ["1", null], "3": [] });
    const r = await execute(apply({ opcode: "Any", op: "=", operand }), c);
    expect(text(r)).toEqual([["1", "1"], ["2", null], ["3", "0"]]);
  });

  it("All(!=) is NOT IN: a match gives 0, a NULL in the set gives NULL, an empty set gives 1 even for a NULL operand", async () => {
    const c = cursor({ "1": ["1", null], "2": ["1", null], "3": [], null: [] }, ["1", "2", "3", null]);
    const r = await execute(apply({ opcode: "All", op: "!=", operand }), c);
    expect(text(r)).toEqual([["1", "0"], ["2", null], ["3", "1"], [null, "1"]]);
  });

  it("Any(>) and All(<=) compare every value", async () => {
    const c = cursor({ "1": ["0", "5"], "2": ["3", "4"], "3": ["1", "2"] });
    expect(text(await execute(apply({ opcode: "Any", op: ">", operand }), c))).toEqual([["1", "1"], ["2", "0"], ["3", "1"]]);
    expect(text(await execute(apply({ opcode: "All", op: "<=", operand }), c))).toEqual([["1", "0"], ["2", "1"], ["3", "0"]]);
  });

  it("Exists gives 1/0; an uncorrelated subquery (no vars) runs once", async () => {
    const c = cursor({ "1": ["1"], "*": ["7"] });
    expect(text(await execute(apply({ opcode: "Exists" }), c))).toEqual([["1", "1"], ["2", "0"], ["3", "0"]]);
    const once = cursor({ "*": ["7"] });
    const r = await execute(apply({ vars: {}, subquery: scatter("select max(v) from o") }), once);
    expect(text(r)).toEqual([["1", "7"], ["2", "7"], ["3", "7"]]);
    expect(once.log.filter((l) => l.includes("max(v)"))).toHaveLength(1);
  });

  it("--max_memory_rows bounds the outer rows held", async () => {
    const c = cursor({});
    Object.assign(c, { maxMemoryRows: 2 });
    await expect(execute(apply({}), c)).rejects.toMatchObject({ errno: 1203 });
  });
});
