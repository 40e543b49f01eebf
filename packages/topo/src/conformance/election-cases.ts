import { expect, it } from "vitest";
import { type ConformanceContext, settledWithin } from "./conformance-target.js";

/** Election cases: one leader at a time, hand-over on resign, observe sees changes. */
export function electionCases(ctx: () => ConformanceContext): void {
  it("campaign, resign, and observe", async () => {
    const a = await ctx().conn();
    const b = await ctx().conn();
    const ea = a.election("vtctld");
    const eb = b.election("vtctld");
    expect(await ea.leader()).toBeNull();
    const ac = new AbortController();
    const seen: Array<string | null> = [];
    const observing = (async () => {
      for await (const l of eb.observe(ac.signal)) {
        seen.push(l);
        if (seen.length === 3) break;
      }
    })();
    const la = await ea.campaign("a");
    expect(await eb.leader()).toBe("a");
    const pb = eb.campaign("b");
    expect(await settledWithin(pb, 300)).toBe("pending");
    await la.resign();
    const lb = await pb;
    expect(await ea.leader()).toBe("b");
    await observing;
    expect(seen).toEqual([null, "a", "b"]);
    await lb.resign();
    ac.abort();
  }, 20000);
}
