import { TopoError } from "@vt/errors";
import type { LockDescriptor, LockOptions } from "../topo-conn.js";
import type { MemoryStore } from "./memory-store.js";

/** What the memory lock needs from its conn. */
export interface MemoryLockHost {
  readonly store: MemoryStore;
  /** Grants a lease owned by the conn: kept alive while the conn is open, expiring `ttlMs` after close. */
  grantLease(ttlMs: number): number;
  /** Whether a lease is still alive. */
  leaseAlive(lease: number): boolean;
  /** Revokes a lease, deleting its keys. */
  revokeLease(lease: number): void;
}

/**
 * lock: the etcd lock recipe on the memory store. Creates `<dir>/locks/<lease>` owned by a fresh lease, then
 * waits until no key under `<dir>/locks/` has a smaller create revision.
 */
export async function memLock(
  host: MemoryLockHost, dirKey: string, dirPath: string, contents: string, opts: LockOptions,
): Promise<LockDescriptor> {
  const { store } = host;
  if ((opts.requireDir ?? true) && store.keysWithPrefix(`${dirKey}/`).length === 0) throw new TopoError("NoNode", dirPath);
  const lease = host.grantLease(opts.ttlMs ?? 30000);
  const locksPrefix = `${dirKey}/locks/`;
  const key = `${locksPrefix}${lease.toString(16)}`;
  const myRev = store.put(key, new TextEncoder().encode(contents), lease);
  const blocked = (): boolean =>
    store.keysWithPrefix(locksPrefix).some((k) => (store.entries.get(k)?.createRevision ?? myRev) < myRev);
  try {
    await waitUntil(store, locksPrefix, () => !blocked(), opts, dirPath);
  } catch (e) {
    host.revokeLease(lease);
    throw e;
  }
  return {
    async unlock() {
      if (!host.leaseAlive(lease) || !store.entries.has(key)) throw new TopoError("NoNode", key, `lock lost: ${dirPath}`);
      host.revokeLease(lease);
    },
    async check() {
      if (!host.leaseAlive(lease) || !store.entries.has(key)) throw new TopoError("NoNode", key, `lock lost: ${dirPath}`);
    },
  };
}

function waitUntil(store: MemoryStore, prefix: string, ready: () => boolean, opts: LockOptions, dirPath: string): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timeoutMs = opts.timeoutMs ?? 45000;
    const cleanup = (): void => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = (): void => { cleanup(); reject(new TopoError("Interrupted", dirPath, `lock interrupted: ${dirPath}`)); };
    const unsubscribe = store.subscribe((c) => {
      if (c.type === "delete" && c.key.startsWith(prefix) && ready()) { cleanup(); resolve(); }
    });
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => { cleanup(); reject(new TopoError("Timeout", dirPath, `timed out waiting for lock: ${dirPath}`)); }, timeoutMs)
      : undefined;
    if (opts.signal?.aborted === true) onAbort();
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
