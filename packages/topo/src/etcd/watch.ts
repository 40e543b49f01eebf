import { TopoError } from "@vt/errors";
import type { Etcd3, IKeyValue, Watcher } from "etcd3";
import { AsyncQueue, type Failable } from "../async-queue.js";
import type { NodeValue, WatchEvent, WatchHandle, WatchRecursiveEvent } from "../topo-conn.js";
import { convertEtcdError, etcdCall } from "./errors.js";
import { bytesOf } from "./file.js";

/** Registers a queue with the owning conn so close() can interrupt it; returns the deregistration. */
export type QueueTracker = (q: Failable) => () => void;

/** The revision after `rev`, as etcd3 wants it. */
const nextRev = (rev: string): string => (BigInt(rev) + 1n).toString();

/**
 * watch: reads the key, then watches it from the next revision. etcd3's watch manager reconnects after stream
 * errors (e.g. an etcd restart) and resumes from the last revision it saw, so no event is lost.
 */
export function etcdWatch(client: Etcd3, key: string, path: string, track: QueueTracker): Promise<WatchHandle<NodeValue, WatchEvent>> {
  return etcdCall(path, async () => {
    const r = await client.get(key).exec();
    const kv = r.kvs[0];
    if (kv === undefined) throw new TopoError("NoNode", path);
    const builder = client.watch().key(key).startRevision(nextRev(r.header.revision));
    let last = BigInt(r.header.revision);
    // Drop anything at or below the last revision seen, in case a resumed stream replays it.
    const fresh = (e: IKeyValue): boolean => {
      const rev = BigInt(e.mod_revision);
      if (rev <= last) return false;
      last = rev;
      return true;
    };
    const q = await attach<WatchEvent>(builder.create(), path, track, (w, queue) => {
      w.on("put", (e: IKeyValue) => { if (fresh(e)) queue.push({ type: "put", data: bytesOf(e), version: e.mod_revision }); });
      w.on("delete", (e: IKeyValue) => {
        if (!fresh(e)) return;
        queue.push({ type: "delete", version: e.mod_revision });
        queue.end();
      });
    });
    return { current: { data: bytesOf(kv), version: kv.mod_revision }, changes: q, cancel: () => q.end() };
  });
}

/** watchRecursive: lists keys under `prefix` (absolute, trailing slash), then watches the prefix. */
export function etcdWatchRecursive(
  client: Etcd3, prefix: string, rootLen: number, path: string, track: QueueTracker,
): Promise<WatchHandle<Array<NodeValue & { path: string }>, WatchRecursiveEvent>> {
  const rel = (kv: IKeyValue): string => kv.key.toString().slice(rootLen + 1);
  return etcdCall(path, async () => {
    const r = await client.getAll().prefix(prefix).exec();
    const current = r.kvs.map((kv) => ({ path: rel(kv), data: bytesOf(kv), version: kv.mod_revision }));
    const builder = client.watch().prefix(prefix).startRevision(nextRev(r.header.revision));
    const q = await attach<WatchRecursiveEvent>(builder.create(), path, track, (w, queue) => {
      w.on("put", (e: IKeyValue) => queue.push({ type: "put", path: rel(e), data: bytesOf(e), version: e.mod_revision }));
      w.on("delete", (e: IKeyValue) => queue.push({ type: "delete", path: rel(e), version: e.mod_revision }));
    });
    return { current, changes: q, cancel: () => q.end() };
  });
}

async function attach<E>(
  created: Promise<Watcher>, path: string, track: QueueTracker, wire: (w: Watcher, q: AsyncQueue<E>) => void,
): Promise<AsyncQueue<E>> {
  const w = await created;
  let untrack = (): void => {};
  const q = new AsyncQueue<E>(() => {
    untrack();
    w.removeAllListeners();
    w.on("error", () => {});
    void w.cancel().catch(() => {});
  });
  untrack = track(q);
  wire(w, q);
  w.on("error", (e: unknown) => q.fail(convertEtcdError(e, path)));
  return q;
}
