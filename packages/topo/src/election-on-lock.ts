import { isTopoError } from "@vt/errors";
import { joinPath } from "./topo-path.js";
import type { Election, Leadership, TopoConn, Version } from "./topo-conn.js";

/**
 * A leader election built on {@link TopoConn.lock}: candidates queue as lock holders of `elections/<name>`; the
 * leader is the holder with the lowest revision. Works on every backend, so both share it.
 */
export class LockElection implements Election {
  private readonly dir: string;

  constructor(private readonly conn: TopoConn, name: string) {
    this.dir = joinPath("elections", name);
  }

  async campaign(id: string, opts: { signal?: AbortSignal; ttlMs?: number } = {}): Promise<Leadership> {
    const lock = await this.conn.lock(this.dir, id, {
      requireDir: false, timeoutMs: Infinity, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.ttlMs ? { ttlMs: opts.ttlMs } : {}),
    });
    return { resign: () => lock.unlock(), check: () => lock.check() };
  }

  async leader(): Promise<string | null> {
    const w = await this.conn.watchRecursive(joinPath(this.dir, "locks"));
    w.cancel();
    return pickLeader(new Map(w.current.map((n) => [n.path, n])));
  }

  async *observe(signal?: AbortSignal): AsyncIterable<string | null> {
    const w = await this.conn.watchRecursive(joinPath(this.dir, "locks"));
    const onAbort = (): void => w.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const nodes = new Map(w.current.map((n) => [n.path, { data: n.data, version: n.version }]));
      let last = pickLeader(nodes);
      yield last;
      for await (const ev of w.changes) {
        if (ev.type === "put") nodes.set(ev.path, { data: ev.data, version: ev.version });
        else nodes.delete(ev.path);
        const now = pickLeader(nodes);
        if (now !== last) { last = now; yield now; }
      }
    } catch (e) {
      if (!isTopoError(e, "Interrupted") || signal?.aborted !== true) throw e;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      w.cancel();
    }
  }
}

function pickLeader(nodes: Map<string, { data: Uint8Array; version: Version }>): string | null {
  let best: { data: Uint8Array; version: Version } | null = null;
  for (const n of nodes.values()) if (best === null || BigInt(n.version) < BigInt(best.version)) best = n;
  return best === null ? null : new TextDecoder().decode(best.data);
}
