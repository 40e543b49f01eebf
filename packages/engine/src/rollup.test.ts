// Engine test for GROUP BY ... WITH ROLLUP evaluated in vtgate over rows gathered from the shards (logging fake).
// Expected rows were checked against MariaDB 10.11 over the same rows in one table.
import { describe, expect, it } from "vitest";
import type { PlanNode } from "@vt/plan";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { execute } from "./execute.js";
import { LoggingVCursor } from "./testing/logging-vcursor.js";
import { COMMERCE as commerce, hashVSchema as vschema, rowsOf } from "./testing/engine-fixtures.js";

const dec = new TextDecoder();
const result = (rows: (string | null)[][]): Result => ({
  fields: [makeField("grp", Type.VARCHAR), makeField("big", Type.INT64), makeField("amount", Type.DECIMAL, { decimals: 2 })],
  ...rowsOf(rows),
});

describe("OrderedAggregate WITH ROLLUP", () => {
  it("a super-aggregate row after each key level and a grand total; no rows give none", async () => {
    const c = new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, (rs) => result(rs.shard === "-80"
      ? [["a", "0", "1.50"], ["b", "1", null], ["b", "1", "1.00"]] : [["a", "0", "3.00"], ["a", "0", "2.25"], ["b", "1", "5.50"]]));
    const col = (offset: number) => ({ kind: "Column" as const, offset });
    const node: PlanNode = {
      kind: "OrderedAggregate", rollup: true, groupBy: [{ col: 0, desc: false }, { col: 1, desc: false }],
      aggregates: [{ opcode: "count_star", col: 2, alias: "count(*)", raw: true }, { opcode: "max", col: 3, alias: "max(amount)", raw: true }],
      input: {
        kind: "MemorySort", orderBy: [{ col: 0, desc: false }, { col: 1, desc: false }],
        input: { kind: "EvalProjection", names: ["grp", "big", "count(*)", "max(amount)"], exprs: [col(0), col(1), { kind: "Literal", type: Type.INT64, value: "1" }, col(2)],
          input: { kind: "Route", opcode: "Scatter", keyspace: commerce, tableName: "y", query: "select grp, big, amount from y", fieldQuery: "select grp, big, amount from y" } },
      },
    };
    const r = await execute(node, c);
    expect(r.rows.map((row) => row.map((x) => (x === null ? null : dec.decode(x))))).toEqual([
      ["a", "0", "3", "3.00"], ["a", null, "3", "3.00"], ["b", "1", "3", "5.50"], ["b", null, "3", "5.50"], [null, null, "6", "5.50"],
    ]);
    const empty = new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, () => result([]));
    expect((await execute(node, empty)).rows).toEqual([]);
  });
});
