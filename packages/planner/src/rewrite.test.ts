import { describe, expect, it } from "vitest";
import { formatExpr, parseExpr } from "@vt/sqlparser";
import { mapExpr } from "./rewrite.js";

describe("mapExpr", () => {
  it("descends into window functions: arguments, PARTITION BY and ORDER BY", () => {
    const e = parseExpr("sum(a) over (partition by b order by c desc) + 1");
    const renamed = mapExpr(e, (x) => (x.kind === "Column" ? { ...x, name: `${x.name}2` } : undefined));
    expect(formatExpr(renamed)).toBe("sum(a2) over (partition by b2 order by c2 desc) + 1");
  });

  it("returns the same node when nothing changes", () => {
    const e = parseExpr("rank() over (partition by b order by c)");
    expect(mapExpr(e, () => undefined)).toBe(e);
  });
});
