/**
 * A node version: the etcd mod_revision of the key, as a decimal string (etcd's int64 revisions exceed
 * Number.MAX_SAFE_INTEGER in theory, and etcd3 hands them out as strings). Compare with `BigInt(v)` if ordering
 * matters; equality is string equality. The memory backend uses the same scheme (one global revision counter).
 */
export type Version = string;

/** Contents and version of one node. */
export interface NodeValue {
  readonly data: Uint8Array;
  readonly version: Version;
}

/** One entry of {@link TopoConn.listDir}. */
export interface DirEntry {
  readonly name: string;
  /** True when the entry has children (a "directory"); false for a leaf file. */
  readonly isDir: boolean;
}

/** A held lock; obtained from {@link TopoConn.lock}. */
export interface LockDescriptor {
  /** Releases the lock. Throws TopoError NoNode if the lock was lost meanwhile (lease expired). */
  unlock(): Promise<void>;
  /** Throws TopoError (NoNode/Interrupted) if the lock is no longer held (lease expired or revoked). */
  check(): Promise<void>;
}

/** Options for {@link TopoConn.lock}. */
export interface LockOptions {
  /** Lease TTL; the lock is released this long after its holder stops keeping it alive. Default 30000. */
  readonly ttlMs?: number;
  /** How long to wait for a contended lock before throwing TopoError Timeout. Default 45000. */
  readonly timeoutMs?: number;
  /** Aborting throws TopoError Interrupted from a waiting lock(). */
  readonly signal?: AbortSignal;
  /** When true (default), lock() throws NoNode if nothing exists under dirPath. Named locks pass false. */
  readonly requireDir?: boolean;
}

/** A change to a watched node. A `delete` event is always the last one of a single-node watch. */
export type WatchEvent =
  | { readonly type: "put"; readonly data: Uint8Array; readonly version: Version }
  | { readonly type: "delete"; readonly version: Version };

/** A change under a recursively watched prefix; `path` is relative to the conn's root. */
export type WatchRecursiveEvent = WatchEvent & { readonly path: string };

/**
 * A running watch. Iterating `changes` yields events in revision order. It ends after a `delete` event
 * (single-node watch), or when `cancel()` is called or the consumer breaks out of the loop. It throws
 * TopoError Interrupted if the conn is closed. A watch survives backend restarts without losing events.
 */
export interface WatchHandle<C, E> {
  readonly current: C;
  readonly changes: AsyncIterable<E>;
  cancel(): void;
}

/** A candidate in a leader election; obtained from {@link Election.campaign}. */
export interface Leadership {
  /** Gives up leadership (or withdraws the candidacy). */
  resign(): Promise<void>;
  /** Throws if leadership was lost (lease expired). */
  check(): Promise<void>;
}

/** A named leader election (stored under `elections/<name>`). */
export interface Election {
  /** Resolves once `id` is leader. Waits as long as needed unless `signal` aborts (TopoError Interrupted). */
  campaign(id: string, opts?: { signal?: AbortSignal; ttlMs?: number }): Promise<Leadership>;
  /** Current leader id, or null if there is none. */
  leader(): Promise<string | null>;
  /** Yields the leader id (or null) now and on every change, until `signal` aborts or the loop breaks. */
  observe(signal?: AbortSignal): AsyncIterable<string | null>;
}

/**
 * A connection to one topo root (global or one cell). Paths are relative to the root, `/`-separated, without a
 * leading slash (`keyspaces/commerce/Keyspace`). Every method may throw TopoError with code:
 * NoNode (missing node), NodeExists (create on existing), BadVersion (CAS mismatch), Timeout, Interrupted.
 */
export interface TopoConn {
  /** Reads a node. Throws NoNode. */
  get(path: string): Promise<NodeValue>;
  /** Creates a node that must not exist; returns its version. Throws NodeExists. */
  create(path: string, data: Uint8Array): Promise<Version>;
  /**
   * Writes a node. With a version: only if the node's current version equals it (BadVersion otherwise, NoNode if
   * absent). With null: unconditional upsert. Returns the new version.
   */
  update(path: string, data: Uint8Array, version: Version | null): Promise<Version>;
  /** Deletes a node, optionally only at `version` (BadVersion otherwise). Throws NoNode if absent. */
  delete(path: string, version: Version | null): Promise<void>;
  /** Immediate children of a directory, sorted by name. Throws NoNode if nothing exists under it. */
  listDir(dirPath: string): Promise<DirEntry[]>;
  /**
   * Takes the lock of a directory (lease-based, stored at `<dirPath>/locks/<lease>`), waiting behind earlier
   * holders. `contents` describes the holder (action, host). Throws NoNode (dir missing), Timeout, Interrupted.
   */
  lock(dirPath: string, contents: string, opts?: LockOptions): Promise<LockDescriptor>;
  /** Watches one node. Throws NoNode if it does not exist. */
  watch(path: string): Promise<WatchHandle<NodeValue, WatchEvent>>;
  /** Watches every node under `prefix` (a directory path); `current` lists the nodes that exist now. */
  watchRecursive(prefix: string): Promise<WatchHandle<Array<NodeValue & { path: string }>, WatchRecursiveEvent>>;
  /** A leader election named `name`. */
  election(name: string): Election;
  /** Closes the conn: ends watches with Interrupted. Locks held are not released; their leases expire. */
  close(): Promise<void>;
}
