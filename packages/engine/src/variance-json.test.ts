// Engine tests for STD/VARIANCE (raw rows gathered from the shards) and JSON_ARRAYAGG/JSON_OBJECTAGG (shard partials
// spliced together), against the logging fake. Expected texts were checked against MariaDB 10.11.
import { describe, expect, it } from "vitest";
import type { AggregateParam, PlanNode, Route } from "@vt/plan";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { execute } from "./execute.js";
import { LoggingVCursor, type FakeShardResults } from "./testing/logging-vcursor.js";
import { COMMERCE as commerce, hashVSchema as vschema, rowsOf, textRows as text } from "./testing/engine-fixtures.js";

const result = (fields: [string, number, number][], rows: (string | null)[][]): Result => ({
  fields: fields.map(([n, t, d]) => makeField(n, t, { decimals: d })),
  ...rowsOf(rows),
});
const vc = (results: FakeShardResults) => new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, results);
const scatter = (query: string): Route => ({ kind: "Route", opcode: "Scatter", keyspace: commerce, tableName: "x", query, fieldQuery: query });
const agg = (opcode: AggregateParam["opcode"], col: number, raw = true): AggregateParam => ({ opcode, col, alias: opcode, ...(raw ? { raw } : {}) });

describe("variance and JSON aggregates across shards", () => {
  it("STD/VARIANCE over gathered rows: fixed decimals (+4) for integers and decimals, shortest text for doubles", async () => {
    // MariaDB over (1,1.50,0.1) (1,2.25,0.2) (2,3.00,0.3) (2,NULL,1e20) (3,5.50,-2.5) (7,1.00,1):
    // std(a)=2.0548 variance(a)=4.2222 std(d)=1.577973 var_samp(f)=1.6666666666666668e39 stddev_samp(a)=2.2509
    const F: [string, number, number][] = [["a", Type.INT32, 0], ["d", Type.DECIMAL, 2], ["f", Type.FLOAT64, 31]];
    const c = vc((rs) => result(F, rs.shard === "-80"
      ? [["1", "1.50", "0.1"], ["2", null, "1e20"], ["7", "1.00", "1"]]
      : [["1", "2.25", "0.2"], ["2", "3.00", "0.3"], ["3", "5.50", "-2.5"]]));
    const node: PlanNode = {
      kind: "ScalarAggregate",
      aggregates: [agg("stddev_pop", 0), agg("var_pop", 1), agg("stddev_pop", 2), agg("var_samp", 3), agg("stddev_samp", 4)],
      input: {
        kind: "EvalProjection", names: ["a", "a", "d", "f", "a"],
        exprs: [0, 0, 1, 2, 0].map((offset) => ({ kind: "Column" as const, offset })), input: scatter("select a, d, f from x"),
      },
    };
    const r = await execute(node, c);
    expect(text(r)).toEqual([["2.0548", "4.2222", "1.577973", "1.6666666666666668e39", "2.2509"]]);
    expect(r.fields.map((f) => [f.type, f.decimals])).toEqual([[Type.FLOAT64, 4], [Type.FLOAT64, 4], [Type.FLOAT64, 6], [Type.FLOAT64, 31], [Type.FLOAT64, 4]]);
  });

  it("VAR_SAMP of one value and any variance of none is NULL", async () => {
    const c = vc((rs) => result([["a", Type.INT64, 0]], rs.shard === "-80" ? [["5"]] : []));
    const node: PlanNode = { kind: "ScalarAggregate", aggregates: [agg("var_samp", 0), agg("var_pop", 1)],
      input: { kind: "EvalProjection", names: ["a", "a"], exprs: [{ kind: "Column", offset: 0 }, { kind: "Column", offset: 0 }], input: scatter("select a from x") } };
    expect(text(await execute(node, c))).toEqual([[null, "0.0000"]]);
  });

  it("JSON_ARRAYAGG/JSON_OBJECTAGG: one query per shard, their arrays and objects spliced; no rows anywhere is NULL", async () => {
    const c = vc((rs) => result([["a", Type.TEXT, 0], ["o", Type.TEXT, 0]], [rs.shard === "-80" ? ['[1,"x",null]', '{"1":"x", "2":null}'] : ["[{\"k\": 2}]", '{"3":{"k": 2}}']]));
    const node: PlanNode = { kind: "ScalarAggregate", aggregates: [agg("json_arrayagg", 0, false), agg("json_objectagg", 1, false)], input: scatter("select json_arrayagg(v), json_objectagg(k, v) from x") };
    const r = await execute(node, c);
    expect(c.log.filter((l) => l.startsWith("ExecuteMultiShard"))).toHaveLength(1);
    expect(text(r)).toEqual([['[1,"x",null,{"k": 2}]', '{"1":"x", "2":null, "3":{"k": 2}}']]);
    const empty = vc(() => result([["a", Type.TEXT, 0], ["o", Type.TEXT, 0]], [[null, null]]));
    expect(text(await execute(node, empty))).toEqual([[null, null]]);
  });
});
