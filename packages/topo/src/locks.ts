import { hostname, userInfo } from "node:os";
import type { LockDescriptor, LockOptions } from "./topo-conn.js";
import type { TopoServer } from "./server.js";
import { TopoPaths } from "./topo-paths.js";

/** Describes a lock holder, stored as the lock node's contents (JSON, like Vitess's lockInfo). */
export function lockContents(action: string): string {
  let user = "";
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry
  }
  return JSON.stringify({ Action: action, HostName: hostname(), UserName: user, Time: new Date().toISOString(), Status: "Running" }, null, 2);
}

/** Runs `fn` while holding the lock of `dirPath` in the global topo; always unlocks (even when fn throws). */
export async function withLock<T>(
  ts: TopoServer, dirPath: string, action: string, fn: (lock: LockDescriptor) => Promise<T>, opts: LockOptions = {},
): Promise<T> {
  const lock = await ts.globalConn.lock(dirPath, lockContents(action), { ...ts.lockOptions, ...opts });
  try {
    return await fn(lock);
  } finally {
    await lock.unlock().catch(() => {});
  }
}

/**
 * Runs `fn` holding keyspace `ks`'s lock (dir `keyspaces/<ks>`), serialising multi-record changes to the keyspace
 * (VSchema, shards, serving graph). Throws TopoError NoNode for an unknown keyspace, Timeout if contended too long.
 */
export function lockKeyspace<T>(ts: TopoServer, ks: string, action: string, fn: (lock: LockDescriptor) => Promise<T>): Promise<T> {
  return withLock(ts, TopoPaths.keyspaceDir(ks), action, fn);
}

/** Runs `fn` holding the lock of shard `ks/shard` (dir `keyspaces/<ks>/shards/<shard>`). Throws NoNode, Timeout. */
export function lockShard<T>(ts: TopoServer, ks: string, shard: string, action: string, fn: (lock: LockDescriptor) => Promise<T>): Promise<T> {
  return withLock(ts, TopoPaths.shardDir(ks, shard), action, fn);
}

/** Runs `fn` holding the named lock `internal/named_locks/<name>` (needs no existing record). */
export function lockName<T>(ts: TopoServer, name: string, action: string, fn: (lock: LockDescriptor) => Promise<T>): Promise<T> {
  return withLock(ts, TopoPaths.namedLock(name), action, fn, { requireDir: false });
}
