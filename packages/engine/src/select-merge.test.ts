import { describe, expect, it } from "vitest";
import type { PlanNode, Route } from "@vt/plan";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { execute } from "./execute.js";
import { LoggingVCursor, type FakeShardResults } from "./testing/logging-vcursor.js";
import { COMMERCE as commerce, hashVSchema as vschema, rowsOf, textRows as text } from "./testing/engine-fixtures.js";


const result = (fields: [string, number, number?][], rows: (string | null)[][]): Result => ({
  fields: fields.map(([n, t, cs]) => ({ ...makeField(n, t), ...(cs !== undefined ? { charset: cs } : {}) })),
  ...rowsOf(rows),
});
const vc = (results?: FakeShardResults) => new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, results);
const scatter = (query: string, extra: Partial<Route> = {}): Route => ({
  kind: "Route", opcode: "Scatter", keyspace: commerce, tableName: "orders", query, fieldQuery: query, ...extra,
});

describe("select merges", () => {
  it("Filter keeps merged groups whose HAVING holds, then the projection drops the helper column", async () => {
    const c = vc((rs) => rs.shard === "-80"
      ? result([["status", Type.VARCHAR, 45], ["n", Type.INT64]], [["paid", "5"], ["Refunded", "1"]])
      : result([["status", Type.VARCHAR, 45], ["n", Type.INT64]], [["PAID", "4"], ["refunded", "1"]]));
    const node: PlanNode = {
      kind: "Projection", cols: [0],
      input: {
        kind: "Filter", predicate: { kind: "Compare", op: ">", left: { kind: "Column", offset: 1 }, right: { kind: "Literal", type: Type.INT64, value: "2" } },
        input: {
          kind: "OrderedAggregate", groupBy: [{ col: 0, desc: false }], aggregates: [{ opcode: "count_star", col: 1, alias: "n" }],
          input: scatter("select status, count(*) as n from orders group by status order by status asc", { orderBy: [{ col: 0, desc: false }] }),
        },
      },
    };
    const r = await execute(node, c);
    expect(c.log[1]).toContain("ExecuteMultiShard commerce.-80: select status, count(*) as n from orders group by status order by status asc");
    // 'paid' and 'PAID' are one group under utf8mb4_general_ci (9 rows); 'refunded' has 2 and is filtered out.
    expect(text(r)).toEqual([["paid"]]);
  });

  it("merge-sort orders TIME by duration and strings by collation", async () => {
    const c = vc((rs) => rs.shard === "-80"
      ? result([["t", Type.TIME], ["s", Type.VARCHAR, 45]], [["-838:59:59", "b"], ["10:00:00", "Éa"]])
      : result([["t", Type.TIME], ["s", Type.VARCHAR, 45]], [["-01:49:33", "a"], ["100:00:00", "z"]]));
    const byTime = await execute(scatter("select t, s from x order by t", { orderBy: [{ col: 0, desc: false }] }), c);
    expect(text(byTime).map((r) => r[0])).toEqual(["-838:59:59", "-01:49:33", "10:00:00", "100:00:00"]);
    const byName = await execute(scatter("select t, s from x order by s", { orderBy: [{ col: 1, desc: false }] }), c);
    expect(text(byName).map((r) => r[1])).toEqual(["a", "b", "Éa", "z"]);
  });

  it("UncorrelatedSubquery binds the subquery's values (NULL kept, one NULL when empty) for the outer route", async () => {
    const c = vc((rs, q) => q.sql.startsWith("select actor_id")
      ? result([["actor_id", Type.INT64]], rs.shard === "-80" ? [["1"], [null]] : [["2"]])
      : result([["n", Type.INT64]], [["7"]]));
    const node: PlanNode = {
      kind: "UncorrelatedSubquery", opcode: "PulloutNotIn", resultName: "__sq1", hasValuesName: "__sq_has_values1",
      subquery: scatter("select actor_id from audit_logs"),
      outer: scatter("select count(*) from users where not :__sq_has_values1 or user_id not in ::__sq1"),
    };
    await execute(node, c);
    expect(c.log.at(-1)).toContain("{__sq1: (1, null, 2), __sq_has_values1: 1}");
  });

  it("PulloutValue: more than one row is error 1242", async () => {
    const c = vc(() => result([["v", Type.INT64]], [["1"]]));
    const node: PlanNode = {
      kind: "UncorrelatedSubquery", opcode: "PulloutValue", resultName: "__sq1", hasValuesName: "__sq_has_values1",
      subquery: scatter("select v from t"), outer: scatter("select :__sq1 from dual"),
    };
    await expect(execute(node, c)).rejects.toMatchObject({ errno: 1242 });
  });
});
