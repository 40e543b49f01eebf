import { describe, expect, it } from "vitest";
import { QueryLatency } from "./query-latency.js";

describe("QueryLatency", () => {
  it("a template never seen is not slow; one slow run marks it", () => {
    const l = new QueryLatency(20);
    expect(l.isSlow("select 1")).toBe(false);
    l.record("select sleep(1)", 1000);
    expect(l.isSlow("select sleep(1)")).toBe(true);
    l.record("select c from t where id = :id", 0.3);
    expect(l.isSlow("select c from t where id = :id")).toBe(false);
  });

  it("a fast template slowed by one stall is fast again after a few normal runs", () => {
    const l = new QueryLatency(20, 100, 0.2);
    const q = "select c from t where id = :id";
    for (let i = 0; i < 5; i++) l.record(q, 0.5);
    l.record(q, 200); // a GC pause
    expect(l.isSlow(q)).toBe(true);
    let runs = 0;
    while (l.isSlow(q)) { l.record(q, 0.5); runs++; }
    expect(runs).toBeGreaterThan(0);
    expect(runs).toBeLessThan(15);
  });

  it("a template that is slow every time stays slow", () => {
    const l = new QueryLatency(20);
    for (let i = 0; i < 50; i++) l.record("select count(*) from big", 80);
    expect(l.isSlow("select count(*) from big")).toBe(true);
  });

  it("remembers at most maxTemplates, forgetting the oldest", () => {
    const l = new QueryLatency(20, 3);
    l.record("a", 100);
    l.record("b", 100);
    l.record("c", 100);
    l.record("d", 100);
    expect(l.size).toBe(3);
    expect(l.isSlow("a")).toBe(false);
    expect(l.isSlow("d")).toBe(true);
  });

  it("does not remember texts longer than MAX_TEXT (memory stays bounded by maxTemplates × MAX_TEXT)", () => {
    const l = new QueryLatency(20);
    const big = `insert into t values ${"(1),".repeat(QueryLatency.MAX_TEXT)}(1)`;
    l.record(big, 500);
    expect(l.size).toBe(0);
    expect(l.isSlow(big)).toBe(false);
  });
});
