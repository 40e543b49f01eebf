import type { TopoConn } from "../topo-conn.js";

/** What a backend hands to {@link runTopoConformance}. */
export interface ConformanceTarget {
  /** Opens a new conn on `root`; conns on one root share data. Called inside tests (after beforeAll). */
  makeConn(root: string): Promise<TopoConn>;
  /** Restarts the backing server keeping its data (etcd). When given, the restart-mid-watch case runs. */
  restartBackend?: () => Promise<void>;
}

/** Per-test helper: a fresh root and conns that are closed after the test. */
export interface ConformanceContext {
  conn(): Promise<TopoConn>;
  readonly target: ConformanceTarget;
}

/** Encodes a string as bytes. */
export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
/** Decodes bytes as a string. */
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
/** Sleeps `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Retries `fn` until it succeeds or `ms` elapse (for writes right after a backend restart). */
export async function retrying<T>(fn: () => Promise<T>, ms = 15000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(200);
    }
  }
}

/** Resolves with "pending" if `p` has not settled within `ms`. */
export async function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | "pending"> {
  return Promise.race([p, sleep(ms).then(() => "pending" as const)]);
}
