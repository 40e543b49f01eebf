import { describe, expect, it } from "vitest";
import { PlanCache } from "./plan-cache.js";

describe("PlanCache (approximate LRU)", () => {
  it("keeps an entry that keeps being hit while newer ones push the unused out", () => {
    const c = new PlanCache<number>(10);
    c.set("hot", 0);
    for (let i = 0; i < 100; i++) {
      c.set(`k${i}`, i);
      expect(c.get("hot")).toBe(0);
    }
    expect(c.size).toBe(10);
    expect(c.get("k0")).toBeUndefined();
    expect(c.get("k99")).toBe(99);
  });

  it("evicts the least recently placed entry first and counts hits and misses", () => {
    const c = new PlanCache<string>(3);
    c.set("a", "A");
    c.set("b", "B");
    c.set("c", "C");
    c.set("d", "D");
    expect(c.get("a")).toBeUndefined();
    expect([c.get("b"), c.get("c"), c.get("d")]).toEqual(["B", "C", "D"]);
    expect([c.hits, c.misses]).toEqual([3, 1]);
    c.set("b", "B2");
    expect(c.get("b")).toBe("B2");
    c.clear();
    expect(c.size).toBe(0);
  });
});
