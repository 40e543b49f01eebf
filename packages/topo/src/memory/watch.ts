import { TopoError } from "@vt/errors";
import { AsyncQueue, type Failable } from "../async-queue.js";
import type { NodeValue, WatchEvent, WatchHandle, WatchRecursiveEvent } from "../topo-conn.js";
import type { MemoryStore } from "./memory-store.js";

/** Registers a queue with the owning conn so close() can interrupt it; returns the deregistration. */
export type QueueTracker = (q: Failable) => () => void;

/** watch: see TopoConn.watch. */
export function memWatch(store: MemoryStore, key: string, path: string, track: QueueTracker): WatchHandle<NodeValue, WatchEvent> {
  const e = store.entries.get(key);
  if (e === undefined) throw new TopoError("NoNode", path);
  const current = { data: new Uint8Array(e.data), version: e.modRevision.toString() };
  let untrack = (): void => {};
  let unsubscribe = (): void => {};
  const q = new AsyncQueue<WatchEvent>(() => { unsubscribe(); untrack(); });
  untrack = track(q);
  unsubscribe = store.subscribe((c) => {
    if (c.key !== key) return;
    if (c.type === "put") {
      q.push({ type: "put", data: new Uint8Array(c.data), version: c.revision.toString() });
    } else {
      q.push({ type: "delete", version: c.revision.toString() });
      q.end();
    }
  });
  return { current, changes: q, cancel: () => q.end() };
}

/** watchRecursive: see TopoConn.watchRecursive. `prefix` is the absolute dir key with a trailing slash. */
export function memWatchRecursive(
  store: MemoryStore, prefix: string, rootLen: number, track: QueueTracker,
): WatchHandle<Array<NodeValue & { path: string }>, WatchRecursiveEvent> {
  const rel = (k: string): string => k.slice(rootLen + 1);
  const current = store.keysWithPrefix(prefix).map((k) => {
    const e = store.entries.get(k)!;
    return { path: rel(k), data: new Uint8Array(e.data), version: e.modRevision.toString() };
  });
  let untrack = (): void => {};
  let unsubscribe = (): void => {};
  const q = new AsyncQueue<WatchRecursiveEvent>(() => { unsubscribe(); untrack(); });
  untrack = track(q);
  unsubscribe = store.subscribe((c) => {
    if (!c.key.startsWith(prefix)) return;
    const version = c.revision.toString();
    q.push(c.type === "put"
      ? { type: "put", path: rel(c.key), data: new Uint8Array(c.data), version }
      : { type: "delete", path: rel(c.key), version });
  });
  return { current, changes: q, cancel: () => q.end() };
}
