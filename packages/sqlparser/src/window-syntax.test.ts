import { describe, expect, it } from "vitest";
import type { Select } from "./ast.js";
import { format } from "./format.js";
import { parse } from "./parse.js";

const item = (sql: string, i = 0) => {
  const s = parse(sql) as Select;
  const c = s.columns[i]!;
  if (c.kind !== "AliasedExpr") throw new Error("star");
  return c;
};

describe("window functions", () => {
  it.each([
    ["select row_number() over (partition by a order by b desc) as rn from t", "select row_number() over (partition by a order by b desc) as rn from t"],
    ["select sum(x) over (order by b range between unbounded preceding and unbounded following) s from t",
      "select sum(x) over (order by b asc range between unbounded preceding and unbounded following) as s from t"],
    ["select sum(x) over (order by b rows 2 preceding) s from t", "select sum(x) over (order by b asc rows between 2 preceding and current row) as s from t"],
    ["select lag(x, 2, 0) over w l, sum(x) over (w rows between current row and 1 following) s from t window w as (partition by a order by id)",
      "select lag(x, 2, 0) over (partition by a order by id asc) as l, sum(x) over (partition by a order by id asc rows between current row and 1 following) as s from t"],
    ["select std(x) over (), variance(x) v from t", "select std(x) over (), variance(x) as v from t"],
    ["select a, count(*) c from t group by a with rollup", "select a, count(*) as c from t group by a with rollup"],
  ])("%s", (sql, want) => {
    expect(format(parse(sql))).toBe(want);
  });

  it("a window function is a WindowFunc node with its spec; the column keeps the text as written", () => {
    const c = item("select ntile(4) over (partition by a, b order by c) from t");
    expect(c.as).toBe("ntile(4) over (partition by a, b order by c)");
    expect(c.expr).toEqual({
      kind: "WindowFunc", func: { kind: "FuncCall", name: "ntile", args: [{ kind: "Literal", type: "int", value: "4" }] },
      over: { partitionBy: [{ kind: "Column", name: "a" }, { kind: "Column", name: "b" }], orderBy: [{ expr: { kind: "Column", name: "c" }, desc: false }] },
    });
  });

  it("frames: bounds with offsets, and inside expressions", () => {
    const c = item("select 1 + count(*) over (order by c range between 3 preceding and unbounded following) from t");
    expect(c.expr.kind).toBe("Binary");
    const w = c.expr.kind === "Binary" ? c.expr.right : c.expr;
    expect(w.kind === "WindowFunc" && w.over.frame).toEqual({
      unit: "range", start: { type: "preceding", expr: { kind: "Literal", type: "int", value: "3" } }, end: { type: "unbounded following" },
    });
  });

  it("an undefined window name is error 4005; a malformed frame a syntax error", () => {
    expect(() => parse("select sum(x) over w from t")).toThrow(/Window specification with name 'w' is not defined/);
    expect(() => parse("select sum(x) over (order by a rows between 1 preceding) from t")).toThrow(/syntax/);
  });

  it("WITH ROLLUP is kept; STD and VARIANCE parse as aggregates", () => {
    expect((parse("select a, sum(b) from t group by a with rollup") as Select).rollup).toBe(true);
    expect(item("select std(x) from t").expr).toEqual({ kind: "FuncCall", name: "std", args: [{ kind: "Column", name: "x" }] });
    expect(item("select variance(x) from t").expr).toEqual({ kind: "FuncCall", name: "variance", args: [{ kind: "Column", name: "x" }] });
  });
});
