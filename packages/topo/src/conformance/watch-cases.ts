import { expect, it } from "vitest";
import type { WatchEvent } from "../topo-conn.js";
import { type ConformanceContext, dec, enc, retrying, sleep } from "./conformance-target.js";
import { expectTopoError } from "./file-cases.js";

/** Collects `n` events (or fewer if the stream ends) from an iterator. */
async function take<T>(it: AsyncIterator<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done === true) break;
    out.push(r.value);
  }
  return out;
}

const show = (e: WatchEvent): string => (e.type === "put" ? `put:${dec(e.data)}` : "delete");

/** Watch cases: initial value, updates, delete, cancel, close, recursive, backend restart. */
export function watchCases(ctx: () => ConformanceContext): void {
  it("watch yields the current value, then updates, then the delete, then ends", async () => {
    const c = await ctx().conn();
    await expectTopoError(c.watch("w/none"), "NoNode");
    const v0 = await c.create("w/node", enc("v0"));
    const w = await c.watch("w/node");
    expect(dec(w.current.data)).toBe("v0");
    expect(w.current.version).toBe(v0);
    const it = w.changes[Symbol.asyncIterator]();
    const v1 = await c.update("w/node", enc("v1"), v0);
    await c.update("w/node", enc("v2"), v1);
    await c.delete("w/node", null);
    const evs = await take(it, 10);
    expect(evs.map(show)).toEqual(["put:v1", "put:v2", "delete"]);
    expect(evs[0]?.version).toBe(v1);
  });

  it("cancel ends the stream; close interrupts it", async () => {
    const c = await ctx().conn();
    await c.create("w2", enc("x"));
    const w = await c.watch("w2");
    w.cancel();
    expect(await take(w.changes[Symbol.asyncIterator](), 1)).toEqual([]);
    const c2 = await ctx().conn();
    const w2 = await c2.watch("w2");
    const interrupted = expectTopoError(w2.changes[Symbol.asyncIterator]().next(), "Interrupted");
    await c2.close();
    await interrupted;
  });

  it("watchRecursive lists current nodes and reports changes with paths", async () => {
    const c = await ctx().conn();
    await c.create("r/a", enc("1"));
    await c.create("r/sub/b", enc("2"));
    await c.create("rx", enc("not under r/"));
    const w = await c.watchRecursive("r");
    expect(w.current.map((n) => `${n.path}=${dec(n.data)}`).sort()).toEqual(["r/a=1", "r/sub/b=2"]);
    const it = w.changes[Symbol.asyncIterator]();
    await c.update("rx", enc("ignored"), null);
    await c.create("r/sub/c", enc("3"));
    await c.delete("r/a", null);
    const evs = await take(it, 2);
    expect(evs.map((e) => `${e.path}:${show(e)}`)).toEqual(["r/sub/c:put:3", "r/a:delete"]);
    w.cancel();
  });

  it("a watch loses no event across a backend restart", async (testCtx) => {
    const target = ctx().target;
    if (target.restartBackend === undefined) {
      testCtx.skip();
      return;
    }
    const c = await ctx().conn();
    const writer = await ctx().conn();
    await c.create("restart/node", enc("0"));
    const w = await c.watch("restart/node");
    const it = w.changes[Symbol.asyncIterator]();
    const wr = await c.watchRecursive("restart");
    const itr = wr.changes[Symbol.asyncIterator]();
    await writer.update("restart/node", enc("1"), null);
    await writer.update("restart/node", enc("2"), null);
    await target.restartBackend();
    for (const v of ["3", "4", "5"]) await retrying(() => writer.update("restart/node", enc(v), null));
    await sleep(50);
    const evs = await take(it, 5);
    expect(evs.map(show)).toEqual(["put:1", "put:2", "put:3", "put:4", "put:5"]);
    expect((await take(itr, 5)).map(show)).toEqual(["put:1", "put:2", "put:3", "put:4", "put:5"]);
    w.cancel();
    wr.cancel();
  }, 60000);
}
