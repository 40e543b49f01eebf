import { describe, expect, it } from "vitest";
import { TopoError } from "@vt/errors";
import { followNode } from "./follow-node.js";
import { MemoryTopoFactory } from "./memory/memory-topo-factory.js";
import type { NodeValue } from "./topo-conn.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const show = (v: NodeValue | null): string => (v === null ? "null" : new TextDecoder().decode(v.data));

describe("followNode", () => {
  it("follows absence, creation, updates, deletion and re-creation; retries errors silently", async () => {
    const f = new MemoryTopoFactory();
    const c = f.conn("/vitess/zone1");
    const ac = new AbortController();
    const seen: string[] = [];
    const errors: unknown[] = [];
    let wake: () => void = () => {};
    const follower = (async () => {
      for await (const v of followNode(c, "SrvVSchema", { signal: ac.signal, retryDelayMs: 20, onError: (e) => errors.push(e) })) {
        seen.push(show(v));
        wake();
      }
    })();
    const waitFor = async (n: number): Promise<void> => {
      while (seen.length < n) await new Promise<void>((r) => { wake = r; setTimeout(r, 50); });
    };
    await waitFor(1);
    await c.create("SrvVSchema", enc("a"));
    await waitFor(2);
    await c.update("SrvVSchema", enc("b"), null);
    await waitFor(3);
    await c.delete("SrvVSchema", null);
    await waitFor(4);
    f.injectError("watch", new TopoError("Timeout", "SrvVSchema"));
    await c.create("SrvVSchema", enc("c"));
    await new Promise((r) => setTimeout(r, 80));
    expect(seen).toEqual(["null", "a", "b", "null"]);
    f.injectError("watch", null);
    await waitFor(5);
    ac.abort();
    await follower;
    expect(seen).toEqual(["null", "a", "b", "null", "c"]);
    expect(errors.length).toBeGreaterThan(0);
  });
});
