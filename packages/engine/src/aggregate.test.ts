// OrderedAggregate's group boundaries and raw DISTINCT aggregates under general_ci: groups and distinct values are
// equal when their weights are (case, trailing spaces, accents), compared the way MariaDB's collation does.
import { describe, expect, it } from "vitest";
import type { OrderedAggregate, PlanNode } from "@vt/plan";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { orderedAggregateExecutor } from "./aggregate.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

const input = (rows: (string | null)[][]): Result => ({
  fields: [makeField("g", Type.VARCHAR, { charset: 45 }), makeField("v", Type.VARCHAR, { charset: 45 }), makeField("b", Type.VARBINARY, { charset: 63 })],
  rows: rows.map((r) => r.map((c) => (c === null ? null : enc.encode(c)))),
  rowsAffected: 0n, insertId: 0n, info: "",
});
const run = async (node: OrderedAggregate, r: Result) => {
  const out = await orderedAggregateExecutor.execute(node, { run: async () => r, maxMemoryRows: undefined } as never, {});
  return out.rows.map((row) => row.map((c) => (c === null ? null : dec.decode(c))));
};
const src = { kind: "SingleRow" } as unknown as PlanNode;

describe("OrderedAggregate under general_ci", () => {
  it("groups rows whose keys differ only in case, trailing spaces or accents; NULL is its own group", async () => {
    const node: OrderedAggregate = { kind: "OrderedAggregate", groupBy: [{ col: 0, desc: false }],
      aggregates: [{ opcode: "count_star", col: 1, alias: "count(*)", raw: true }], input: src } as OrderedAggregate;
    const rows = await run(node, input([[null, "x", "x"], ["a", "x", "x"], ["A  ", "y", "y"], ["b", "x", "x"], ["é", "x", "x"], ["E", "z", "z"]]));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([[null, "1"], ["a", "2"], ["b", "1"], ["é", "2"]]);
  });

  it("count(distinct) counts general_ci text by weight and binary by bytes", async () => {
    const node: OrderedAggregate = { kind: "OrderedAggregate", groupBy: [{ col: 0, desc: false }],
      aggregates: [{ opcode: "count_distinct", col: 1, alias: "count(distinct v)", raw: true }, { opcode: "count_distinct", col: 2, alias: "count(distinct b)", raw: true }],
      input: src } as OrderedAggregate;
    const rows = await run(node, input([["a", "x", "x"], ["a", "X ", "X"], ["a", "日本", "x "], ["a", "日本 ", null], ["a", "ß", "ß"], ["a", "s", "s"]]));
    expect(rows).toEqual([["a", "3", "5"]]); // x = X, 日本 = "日本 ", ß = s
  });
});
