// RecursiveCte against the logging fake: the recursive part runs once per row of the previous iteration with the
// CTE's columns bound, UNION drops rows already produced (so cycles end), iterations stop silently at the limit
// (MariaDB's max_recursive_iterations), values take the anchor's types (1406 for text too long).
import { describe, expect, it } from "vitest";
import type { PlanNode, RecursiveCte, Route } from "@vt/plan";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { execute } from "./execute.js";
import { LoggingVCursor } from "./testing/logging-vcursor.js";
import { COMMERCE as commerce, hashVSchema as vschema, rowsOf, textRows as text } from "./testing/engine-fixtures.js";

const dec = new TextDecoder();

const result = (fields: [string, number, number?][], rows: (string | null)[][]): Result => ({
  fields: fields.map(([n, t, len]) => ({ ...makeField(n, t), ...(len !== undefined ? { columnLength: len, charset: 45 } : {}) })),
  ...rowsOf(rows),
});
const scatter = (query: string): Route => ({ kind: "Route", opcode: "Scatter", keyspace: commerce, tableName: "t", query, fieldQuery: query });

/** Edges of a graph with a cycle 1→2→3→1 and 3→4; the anchor is node 1 (one shard answers, the other is empty). */
const EDGES: Record<string, string[]> = { "1": ["2"], "2": ["3"], "3": ["1", "4"], "4": [] };
function cursor(anchor: Result = result([["id", Type.INT64]], [["1"]])) {
  return new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, (rs, q) => {
    if (rs.shard !== "-80") return result([["id", Type.INT64]], []);
    if (q.sql.startsWith("select id from nodes")) return anchor;
    const from = dec.decode(q.bindVars["c_id"]!.value);
    return result([["dst", Type.INT64]], (EDGES[from] ?? [String(Number(from) + 1.5)]).map((d) => [d]));
  });
}
const cte = (extra: Partial<RecursiveCte> = {}): PlanNode => ({
  kind: "RecursiveCte", name: "c", distinct: true, vars: { c_id: 0 },
  anchor: scatter("select id from nodes where id = 1"), recursive: scatter("select e.dst from edges as e where e.src = :c_id"), ...extra,
});

describe("RecursiveCte", () => {
  it("UNION: runs the recursive part per new row, drops rows already produced, ends when nothing is new", async () => {
    const c = cursor();
    const r = await execute(cte(), c);
    expect(text(r)).toEqual([["1"], ["2"], ["3"], ["4"]]);
    expect(r.fields.map((f) => f.name)).toEqual(["id"]);
    const steps = c.log.filter((l) => l.includes("e.src = :c_id")).map((l) => /\{c_id: (\d+)\}/.exec(l)?.[1]);
    expect(steps).toEqual(["1", "2", "3", "4"]);
  });

  it("UNION ALL over a cycle stops silently after maxIterations iterations (3 → 1 and 4)", async () => {
    const r = await execute(cte({ distinct: false, maxIterations: 5 }), cursor());
    expect(text(r).map((x) => x[0])).toEqual(["1", "2", "3", "1", "4", "2", "3"]);
  });

  it("the session's max_recursive_iterations (SET by the client) bounds the iterations", async () => {
    const c = cursor();
    Object.assign(c, { systemVariable: (n: string) => (n === "max_recursive_iterations" ? "2" : undefined) });
    const r = await execute(cte({ distinct: false }), c);
    expect(text(r).map((x) => x[0])).toEqual(["1", "2", "3"]);
  });

  it("values take the anchor's column types: an integer column rounds decimals", async () => {
    const r = await execute(cte({ distinct: false, maxIterations: 2 }), cursor(result([["id", Type.INT64]], [["10"]])));
    expect(text(r)).toEqual([["10"], ["12"], ["14"]]);
  });

  it("text longer than the anchor's column fails with 1406", async () => {
    const c = new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, (rs, q) => {
      if (rs.shard !== "-80") return result([["s", Type.VARCHAR, 4]], []);
      if (q.sql.startsWith("select id from nodes")) return result([["s", Type.VARCHAR, 4]], [["a"]]);
      return result([["s", Type.VARCHAR, 8]], [[`${dec.decode(q.bindVars["c_id"]!.value)}b`]]);
    });
    await expect(execute(cte({ distinct: false }), c)).rejects.toMatchObject({ errno: 1406, message: "Data too long for column 's' at row 2" });
  });
});
