import { fromBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { isTopoError } from "@vt/errors";
import type { NodeValue, TopoConn } from "./topo-conn.js";

/** Options for {@link followNode}. */
export interface FollowOptions {
  /** Stops following (the iteration ends). */
  readonly signal?: AbortSignal;
  /** Pause before re-watching after an error or while the node is absent. Default 1000. */
  readonly retryDelayMs?: number;
  /** Called with each error that caused a retry (for logging); the last good value stays current. */
  readonly onError?: (err: unknown) => void;
}

/**
 * Follows one node for as long as wanted, the way vtgate's serving-graph cache needs it: yields its value (or null
 * while it does not exist) at start and on every change, re-watching after errors or topo outages without yielding
 * anything for them, so consumers keep the last good value. A value is never yielded twice in a row for the same
 * version. Ends when `signal` aborts or the conn is closed (TopoError Interrupted).
 */
export async function* followNode(conn: TopoConn, path: string, opts: FollowOptions = {}): AsyncIterable<NodeValue | null> {
  const delay = opts.retryDelayMs ?? 1000;
  let lastVersion: string | null | undefined;
  const emit = (v: NodeValue | null): boolean => {
    const ver = v === null ? null : v.version;
    if (ver === lastVersion) return false;
    lastVersion = ver;
    return true;
  };
  while (opts.signal?.aborted !== true) {
    try {
      const w = await conn.watch(path);
      const onAbort = (): void => w.cancel();
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        if (emit(w.current)) yield w.current;
        for await (const ev of w.changes) {
          const v = ev.type === "put" ? { data: ev.data, version: ev.version } : null;
          if (emit(v)) yield v;
        }
      } finally {
        opts.signal?.removeEventListener("abort", onAbort);
        w.cancel();
      }
      continue; // the node was deleted (or the watch cancelled): watch again
    } catch (e) {
      if (isTopoError(e, "Interrupted")) return;
      if (isTopoError(e, "NoNode")) {
        if (emit(null)) yield null;
      } else {
        opts.onError?.(e);
      }
    }
    await sleep(delay, opts.signal);
  }
}

/**
 * {@link followNode} for a protobuf record, decoding each value. `getConn` is retried (e.g. a cell conn while
 * the global topo is unreachable) until it succeeds or `signal` aborts.
 */
export async function* followProto<D extends DescMessage>(
  getConn: () => Promise<TopoConn>, path: string, schema: D, opts: FollowOptions = {},
): AsyncIterable<MessageShape<D> | null> {
  let conn: TopoConn | null = null;
  while (conn === null) {
    if (opts.signal?.aborted === true) return;
    try {
      conn = await getConn();
    } catch (e) {
      if (isTopoError(e, "Interrupted")) return;
      opts.onError?.(e);
      await sleep(opts.retryDelayMs ?? 1000, opts.signal);
    }
  }
  for await (const v of followNode(conn, path, opts)) yield v === null ? null : fromBinary(schema, v.data);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
