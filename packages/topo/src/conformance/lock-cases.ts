import { expect, it } from "vitest";
import { type ConformanceContext, enc, settledWithin, sleep } from "./conformance-target.js";
import { expectTopoError } from "./file-cases.js";

/** Lock cases: exclusion, release, timeout, abort, expiry of a dead holder's lease. */
export function lockCases(ctx: () => ConformanceContext): void {
  it("locks exclude each other until unlock", async () => {
    const a = await ctx().conn();
    const b = await ctx().conn();
    await a.create("keyspaces/ks/Keyspace", enc("k"));
    const la = await a.lock("keyspaces/ks", "holder a");
    await la.check();
    const pending = b.lock("keyspaces/ks", "holder b");
    expect(await settledWithin(pending, 400)).toBe("pending");
    await la.unlock();
    const lb = await pending;
    await lb.check();
    await expectTopoError(la.check(), "NoNode");
    await lb.unlock();
    await expectTopoError(lb.unlock(), "NoNode");
    // The lock keys are gone, so the dir holds only its data again.
    expect((await a.listDir("keyspaces/ks")).map((e) => e.name)).toEqual(["Keyspace"]);
  }, 20000);

  it("lock on a missing dir throws NoNode unless requireDir is false", async () => {
    const c = await ctx().conn();
    await expectTopoError(c.lock("nothere", "x"), "NoNode");
    const l = await c.lock("internal/named_locks/n1", "x", { requireDir: false });
    await l.unlock();
  });

  it("a contended lock times out, and an aborted wait is Interrupted", async () => {
    const a = await ctx().conn();
    await a.create("d/f", enc("x"));
    const held = await a.lock("d", "a");
    await expectTopoError(a.lock("d", "b", { timeoutMs: 300 }), "Timeout");
    const ac = new AbortController();
    const waiting = a.lock("d", "c", { signal: ac.signal });
    await sleep(100);
    ac.abort();
    await expectTopoError(waiting, "Interrupted");
    await held.unlock();
    // Neither failed waiter left a lock key behind.
    const again = await a.lock("d", "d", { timeoutMs: 2000 });
    await again.unlock();
  }, 20000);

  it("a lock is released when its holder dies (lease expiry)", async () => {
    const a = await ctx().conn();
    const b = await ctx().conn();
    await a.create("ttl/f", enc("x"));
    await a.lock("ttl", "dying holder", { ttlMs: 2000 });
    await a.close(); // no unlock: keepalives stop, the lease must expire
    const started = Date.now();
    const lb = await b.lock("ttl", "survivor", { timeoutMs: 15000 });
    expect(Date.now() - started).toBeLessThan(15000);
    await lb.unlock();
  }, 30000);
}
