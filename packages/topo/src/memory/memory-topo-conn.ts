import { TopoError } from "@vt/errors";
import type { Failable } from "../async-queue.js";
import { joinPath } from "../topo-path.js";
import type {
  DirEntry, Election, LockDescriptor, LockOptions, NodeValue, TopoConn, Version, WatchEvent, WatchHandle,
  WatchRecursiveEvent,
} from "../topo-conn.js";
import { memListDir } from "./directory.js";
import { memElection } from "./election.js";
import { memCreate, memDelete, memGet, memUpdate } from "./file.js";
import { memLock } from "./lock.js";
import type { MemoryTopoFactory } from "./memory-topo-factory.js";
import { memWatch, memWatchRecursive } from "./watch.js";

/**
 * A TopoConn on one root of a {@link MemoryTopoFactory}. Leases it grants stay alive while it is open; after
 * close() they expire after their TTL (simulating a dead holder), releasing its locks.
 */
export class MemoryTopoConn implements TopoConn {
  private readonly queues = new Set<Failable>();
  private readonly leases = new Map<number, number>();
  private closed = false;

  constructor(private readonly factory: MemoryTopoFactory, readonly root: string) {}

  private key(path: string): string {
    return `${this.root}/${joinPath(path)}`;
  }

  private enter(op: Parameters<MemoryTopoFactory["checkError"]>[0]): void {
    if (this.closed) throw new TopoError("Interrupted", op, "topo conn is closed");
    this.factory.checkError(op);
  }

  async get(path: string): Promise<NodeValue> {
    this.enter("get");
    return memGet(this.factory.store, this.key(path), path);
  }

  async create(path: string, data: Uint8Array): Promise<Version> {
    this.enter("create");
    return memCreate(this.factory.store, this.key(path), path, data);
  }

  async update(path: string, data: Uint8Array, version: Version | null): Promise<Version> {
    this.enter("update");
    return memUpdate(this.factory.store, this.key(path), path, data, version);
  }

  async delete(path: string, version: Version | null): Promise<void> {
    this.enter("delete");
    memDelete(this.factory.store, this.key(path), path, version);
  }

  async listDir(dirPath: string): Promise<DirEntry[]> {
    this.enter("listDir");
    return memListDir(this.factory.store, `${this.key(dirPath)}/`.replace(/\/+$/, "/"), dirPath);
  }

  async lock(dirPath: string, contents: string, opts: LockOptions = {}): Promise<LockDescriptor> {
    this.enter("lock");
    const host = {
      store: this.factory.store,
      grantLease: (ttlMs: number) => this.grantLease(ttlMs),
      leaseAlive: (l: number) => this.leases.has(l),
      revokeLease: (l: number) => this.revokeLease(l),
    };
    return memLock(host, this.key(dirPath).replace(/\/+$/, ""), dirPath, contents, opts);
  }

  async watch(path: string): Promise<WatchHandle<NodeValue, WatchEvent>> {
    this.enter("watch");
    return memWatch(this.factory.store, this.key(path), path, (q) => this.track(q));
  }

  async watchRecursive(prefix: string): Promise<WatchHandle<Array<NodeValue & { path: string }>, WatchRecursiveEvent>> {
    this.enter("watchRecursive");
    const p = `${this.key(prefix)}/`.replace(/\/+$/, "/");
    return memWatchRecursive(this.factory.store, p, this.root.length, (q) => this.track(q));
  }

  election(name: string): Election {
    return memElection(this, name);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const q of [...this.queues]) q.fail(new TopoError("Interrupted", this.root, "topo conn closed"));
    for (const [lease, ttlMs] of this.leases) {
      setTimeout(() => this.revokeLease(lease), ttlMs).unref();
    }
  }

  private track(q: Failable): () => void {
    this.queues.add(q);
    return () => this.queues.delete(q);
  }

  private grantLease(ttlMs: number): number {
    const id = this.factory.newLeaseId();
    this.leases.set(id, ttlMs);
    return id;
  }

  private revokeLease(lease: number): void {
    if (!this.leases.delete(lease)) return;
    const { store } = this.factory;
    for (const [k, e] of [...store.entries]) if (e.lease === lease) store.remove(k);
  }
}
