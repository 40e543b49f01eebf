// Engine tests for the Window primitive: window functions computed in vtgate over rows gathered from the shards,
// against the logging fake (one scatter; values and types as MariaDB computes them).
import { describe, expect, it } from "vitest";
import type { PlanNode, Route, WindowFuncParam } from "@vt/plan";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { execute } from "./execute.js";
import { LoggingVCursor } from "./testing/logging-vcursor.js";
import { COMMERCE as commerce, hashVSchema as vschema, rowsOf } from "./testing/engine-fixtures.js";

const dec = new TextDecoder();

const FIELDS: [string, number, number?][] = [["id", Type.INT64], ["grp", Type.VARCHAR], ["amount", Type.DECIMAL, 2], ["f", Type.FLOAT64]];
const result = (rows: (string | null)[][]): Result => ({
  fields: FIELDS.map(([n, t, d]) => makeField(n, t, d !== undefined ? { decimals: d } : {})),
  ...rowsOf(rows),
});
// Shard -80 and 80- each hold part of both groups.
const SHARD_ROWS: Record<string, (string | null)[][]> = {
  "-80": [["1", "a", "1.50", "0.1"], ["4", "b", null, "1e20"], ["6", "b", "1.00", "1"]],
  "80-": [["3", "a", "3.00", "0.3"], ["2", "a", "2.25", "0.2"], ["5", "b", "5.50", "-2.5"]],
};
const vc = (maxMemoryRows?: number) => {
  const c = new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, (rs) => result(SHARD_ROWS[rs.shard] ?? []));
  if (maxMemoryRows !== undefined) (c as { maxMemoryRows?: number }).maxMemoryRows = maxMemoryRows;
  return c;
};
const route: Route = { kind: "Route", opcode: "Scatter", keyspace: commerce, tableName: "t", query: "select id, grp, amount, f from t", fieldQuery: "select id, grp, amount, f from t where 1 != 1" };
const col = (offset: number) => ({ kind: "Column" as const, offset });
const lit = (v: string) => ({ kind: "Literal" as const, type: Type.INT64, value: v });
const byId = [{ col: 0, desc: false }];

/** Runs the windows and returns id → window values (text), sorted by id. */
async function run(windows: WindowFuncParam[], c = vc()) {
  const node: PlanNode = { kind: "Window", windows, input: route };
  const r = await execute(node, c);
  const rows = r.rows.map((row) => row.map((x) => (x === null ? null : dec.decode(x))));
  rows.sort((a, b) => Number(a[0]) - Number(b[0]));
  return { rows: rows.map((row) => [row[0], ...row.slice(4)]), fields: r.fields.slice(4), log: c.log };
}
const w = (func: WindowFuncParam["func"], extra: Partial<WindowFuncParam> = {}): WindowFuncParam =>
  ({ func, args: [], partitionBy: [], orderBy: byId, alias: func, ...extra });

// Every expectation below was checked against MariaDB 10.11 over the same six rows in one table.
describe("Window", () => {
  it("one scatter, then ranking functions over partitions that span both shards", async () => {
    const r = await run([
      w("row_number", { partitionBy: [1] }), w("rank", { orderBy: [{ col: 1, desc: false }] }),
      w("dense_rank", { orderBy: [{ col: 1, desc: false }] }), w("ntile", { args: [lit("4")] }),
    ]);
    expect(r.log.filter((l) => l.startsWith("ExecuteMultiShard"))).toEqual(["ExecuteMultiShard commerce.-80: select id, grp, amount, f from t {} commerce.80-: select id, grp, amount, f from t {}"]);
    expect(r.rows).toEqual([
      ["1", "1", "1", "1", "1"], ["2", "2", "1", "1", "1"], ["3", "3", "1", "1", "2"],
      ["4", "1", "4", "2", "2"], ["5", "2", "4", "2", "3"], ["6", "3", "4", "2", "4"],
    ]);
    expect(r.fields.map((f) => f.type)).toEqual([Type.INT64, Type.INT64, Type.INT64, Type.INT64]);
  });

  it("PERCENT_RANK and CUME_DIST print 10 decimals; LAG/LEAD with an offset", async () => {
    const r = await run([
      w("percent_rank"), w("cume_dist", { orderBy: [{ col: 1, desc: false }] }),
      w("lag", { args: [col(0), lit("2")] }), w("lead", { args: [col(2)], partitionBy: [1] }),
    ]);
    expect(r.rows).toEqual([
      ["1", "0.0000000000", "0.5000000000", null, "2.25"], ["2", "0.2000000000", "0.5000000000", null, "3.00"],
      ["3", "0.4000000000", "0.5000000000", "1", null], ["4", "0.6000000000", "1.0000000000", "2", "5.50"],
      ["5", "0.8000000000", "1.0000000000", "3", "1.00"], ["6", "1.0000000000", "1.0000000000", "4", null],
    ]);
    expect(r.fields[0]).toMatchObject({ type: Type.FLOAT64, decimals: 10 });
  });

  it("aggregates over the default frame (running, peers included), the whole partition, ROWS and RANGE frames", async () => {
    const r = await run([
      w("sum", { args: [col(2)] }),
      w("avg", { args: [col(2)], orderBy: [], partitionBy: [1] }),
      w("count", { args: [col(2)], orderBy: [{ col: 1, desc: false }] }),
      w("max", { args: [col(2)], frame: { unit: "rows", start: { type: "preceding", offset: lit("1") }, end: { type: "following", offset: lit("1") } } }),
      w("count_star", { frame: { unit: "range", start: { type: "preceding", offset: lit("2") }, end: { type: "current row" } } }),
      w("sum", { args: [col(3)], alias: "fsum" }),
    ]);
    expect(r.rows).toEqual([
      ["1", "1.50", "2.250000", "3", "2.25", "1", "0.1"],
      ["2", "3.75", "2.250000", "3", "3.00", "2", "0.30000000000000004"],
      ["3", "6.75", "2.250000", "3", "3.00", "3", "0.6000000000000001"],
      ["4", "6.75", "3.250000", "5", "5.50", "3", "1e20"],
      ["5", "12.25", "3.250000", "5", "5.50", "3", "1e20"],
      ["6", "13.25", "3.250000", "5", "5.50", "3", "1e20"],
    ]);
    expect(r.fields.map((f) => [f.type, f.decimals])).toEqual([
      [Type.DECIMAL, 2], [Type.DECIMAL, 6], [Type.INT64, 0], [Type.DECIMAL, 2], [Type.INT64, 0], [Type.FLOAT64, 31],
    ]);
  });

  it("FIRST_VALUE/LAST_VALUE/NTH_VALUE over frames", async () => {
    const r = await run([
      w("first_value", { args: [col(0)], partitionBy: [1] }),
      w("last_value", { args: [col(0)], partitionBy: [1] }),
      w("last_value", { args: [col(0)], frame: { unit: "rows", start: { type: "current row" }, end: { type: "unbounded following" } } }),
      w("nth_value", { args: [col(0), lit("2")], partitionBy: [1] }),
    ]);
    expect(r.rows).toEqual([
      ["1", "1", "1", "6", null], ["2", "1", "2", "6", "2"], ["3", "1", "3", "6", "2"],
      ["4", "4", "4", "6", null], ["5", "4", "5", "6", "5"], ["6", "4", "6", "6", "5"],
    ]);
  });

  it("holding more rows than --max_memory_rows is error 1203", async () => {
    await expect(run([w("row_number")], vc(5))).rejects.toThrow(/in-memory row count exceeded allowed limit of 5/);
  });
});
