import { TopoError } from "@vt/errors";
import type { Etcd3, Lease } from "etcd3";
import type { LockDescriptor, LockOptions } from "../topo-conn.js";
import { etcdDirExists } from "./directory.js";
import { etcdCall } from "./errors.js";

/** What the etcd lock needs from its conn. */
export interface EtcdLockHost {
  readonly client: Etcd3;
  /** Creates a lease kept alive while the conn is open (released, not revoked, on close). */
  newLease(ttlSec: number): Lease;
  /** Forgets a lease (after revoke). */
  dropLease(lease: Lease): void;
}

/**
 * lock: the standard etcd lock recipe. Grants a lease (TTL `ttlMs`, kept alive), creates `<dir>/locks/<lease hex>`
 * bound to it, then waits until no key under `<dir>/locks/` has a smaller create revision, watching the next
 * older one for deletion. A dead holder's key vanishes when its lease expires.
 */
export async function etcdLock(host: EtcdLockHost, dirKey: string, dirPath: string, contents: string, opts: LockOptions): Promise<LockDescriptor> {
  const { client } = host;
  if ((opts.requireDir ?? true) && !(await etcdDirExists(client, `${dirKey}/`, dirPath))) throw new TopoError("NoNode", dirPath);
  const lease = host.newLease(Math.max(1, Math.ceil((opts.ttlMs ?? 30000) / 1000)));
  let lost = false;
  lease.on("lost", () => { lost = true; });
  const release = async (): Promise<void> => {
    host.dropLease(lease);
    await lease.revoke().catch(() => {});
  };
  try {
    const leaseId = await etcdCall(dirPath, () => lease.grant());
    const locksPrefix = `${dirKey}/locks/`;
    const key = `${locksPrefix}${BigInt(leaseId).toString(16)}`;
    const r = await etcdCall(dirPath, () =>
      client.if(key, "Create", "==", 0).then(client.put(key).value(contents).lease(leaseId)).commit());
    if (!r.succeeded) throw new TopoError("NodeExists", key);
    await waitForOlderHolders(client, locksPrefix, r.header.revision, dirPath, opts);
  } catch (e) {
    await release();
    throw e;
  }
  const check = async (): Promise<void> => {
    if (lost || lease.revoked()) throw new TopoError("NoNode", dirPath, `lock lost: ${dirPath}`);
    const res = await etcdCall(dirPath, () => lease.keepaliveOnce()).catch(() => null);
    if (res === null || Number(res.TTL) <= 0) throw new TopoError("NoNode", dirPath, `lock lost: ${dirPath}`);
  };
  return {
    check,
    async unlock() {
      await check();
      await release();
    },
  };
}

async function waitForOlderHolders(client: Etcd3, locksPrefix: string, myRev: string, dirPath: string, opts: LockOptions): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 45000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await etcdCall(dirPath, () =>
      client.getAll().prefix(locksPrefix).maxCreateRevision((BigInt(myRev) - 1n).toString()).sort("Create", "Descend").limit(1).exec());
    const older = r.kvs[0];
    if (older === undefined) return;
    await waitForDelete(client, older.key.toString(), r.header.revision, dirPath, deadline, opts.signal);
  }
}

async function waitForDelete(client: Etcd3, key: string, rev: string, dirPath: string, deadline: number, signal?: AbortSignal): Promise<void> {
  const w = await client.watch().key(key).startRevision((BigInt(rev) + 1n).toString()).create();
  try {
    await new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = (): void => { cleanup(); reject(new TopoError("Interrupted", dirPath, `lock interrupted: ${dirPath}`)); };
      const left = deadline - Date.now();
      const timer = Number.isFinite(left)
        ? setTimeout(() => { cleanup(); reject(new TopoError("Timeout", dirPath, `timed out waiting for lock: ${dirPath}`)); }, Math.max(0, left))
        : undefined;
      w.on("delete", () => { cleanup(); resolve(); });
      w.on("error", (e: unknown) => { cleanup(); reject(e); });
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
  } finally {
    await w.cancel().catch(() => {});
  }
}
