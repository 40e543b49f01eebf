import { Etcd3, type Lease } from "etcd3";
import { TopoError } from "@vt/errors";
import type { Failable } from "../async-queue.js";
import { joinPath, normalizeRoot } from "../topo-path.js";
import type {
  DirEntry, Election, LockDescriptor, LockOptions, NodeValue, TopoConn, Version, WatchEvent, WatchHandle,
  WatchRecursiveEvent,
} from "../topo-conn.js";
import { etcdListDir } from "./directory.js";
import { etcdElection } from "./election.js";
import { etcdCreate, etcdDelete, etcdGet, etcdUpdate } from "./file.js";
import { etcdLock } from "./lock.js";
import { WatchBackoff } from "./watch-backoff.js";
import { etcdWatch, etcdWatchRecursive } from "./watch.js";

/** Options for {@link EtcdTopoConn}. */
export interface EtcdTopoConnOptions {
  /** etcd client endpoints, comma-separated or a list (`127.0.0.1:2379`). */
  readonly serverAddress: string | readonly string[];
  /** Root of this conn in etcd (`/vitess/global`). */
  readonly root: string;
  /** Deadline of unary etcd calls; default 15000 (Vitess's remote operation timeout). */
  readonly callTimeoutMs?: number;
}

/**
 * The etcd2 TopoConn (Vitess's `etcd2` implementation): key = root + path, versions are mod revisions, create/
 * update/delete are txns on create/mod revision, locks are lease-based. Owns one etcd3 client.
 */
export class EtcdTopoConn implements TopoConn {
  readonly root: string;
  private readonly client: Etcd3;
  private readonly queues = new Set<Failable>();
  private readonly leases = new Set<Lease>();
  private closed = false;

  constructor(opts: EtcdTopoConnOptions) {
    this.root = normalizeRoot(opts.root);
    const hosts = typeof opts.serverAddress === "string" ? opts.serverAddress.split(",") : [...opts.serverAddress];
    const timeout = opts.callTimeoutMs ?? 15000;
    this.client = new Etcd3({
      hosts: hosts.map((h) => (h.includes("://") ? h : `http://${h}`)),
      defaultCallOptions: (c) => (c.isStream ? {} : { deadline: Date.now() + timeout }),
      faultHandling: { watchBackoff: new WatchBackoff() },
    });
  }

  private key(path: string): string {
    return `${this.root}/${joinPath(path)}`.replace(/\/+$/, "");
  }

  private enter(path: string): void {
    if (this.closed) throw new TopoError("Interrupted", path, "topo conn is closed");
  }

  async get(path: string): Promise<NodeValue> {
    this.enter(path);
    return etcdGet(this.client, this.key(path), path);
  }

  async create(path: string, data: Uint8Array): Promise<Version> {
    this.enter(path);
    return etcdCreate(this.client, this.key(path), path, data);
  }

  async update(path: string, data: Uint8Array, version: Version | null): Promise<Version> {
    this.enter(path);
    return etcdUpdate(this.client, this.key(path), path, data, version);
  }

  async delete(path: string, version: Version | null): Promise<void> {
    this.enter(path);
    return etcdDelete(this.client, this.key(path), path, version);
  }

  async listDir(dirPath: string): Promise<DirEntry[]> {
    this.enter(dirPath);
    return etcdListDir(this.client, `${this.key(dirPath)}/`, dirPath);
  }

  async lock(dirPath: string, contents: string, opts: LockOptions = {}): Promise<LockDescriptor> {
    this.enter(dirPath);
    const host = {
      client: this.client,
      newLease: (ttlSec: number) => {
        const l = this.client.lease(ttlSec, { autoKeepAlive: true });
        l.on("lost", () => {});
        this.leases.add(l);
        return l;
      },
      dropLease: (l: Lease) => { this.leases.delete(l); },
    };
    return etcdLock(host, this.key(dirPath), dirPath, contents, opts);
  }

  async watch(path: string): Promise<WatchHandle<NodeValue, WatchEvent>> {
    this.enter(path);
    return etcdWatch(this.client, this.key(path), path, (q) => this.track(q));
  }

  async watchRecursive(prefix: string): Promise<WatchHandle<Array<NodeValue & { path: string }>, WatchRecursiveEvent>> {
    this.enter(prefix);
    return etcdWatchRecursive(this.client, `${this.key(prefix)}/`, this.root.length, prefix, (q) => this.track(q));
  }

  election(name: string): Election {
    return etcdElection(this, name);
  }

  /** Ends watches (Interrupted), stops lease keepalives without revoking (held locks expire), closes the client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const q of [...this.queues]) q.fail(new TopoError("Interrupted", this.root, "topo conn closed"));
    for (const l of this.leases) l.release();
    this.leases.clear();
    await new Promise((r) => setTimeout(r, 0));
    this.client.close();
  }

  private track(q: Failable): () => void {
    this.queues.add(q);
    return () => this.queues.delete(q);
  }
}
