/** One stored key. */
export interface MemoryEntry {
  data: Uint8Array;
  modRevision: bigint;
  createRevision: bigint;
  lease: number | null;
}

/** A change to one key, delivered to store listeners synchronously after it is applied. */
export interface MemoryChange {
  readonly key: string;
  readonly type: "put" | "delete";
  readonly revision: bigint;
  readonly data: Uint8Array;
}

/** Listener for {@link MemoryStore.subscribe}. */
export type MemoryListener = (change: MemoryChange) => void;

/**
 * The flat key/value space behind the memory topo, modelled on etcd: absolute keys, one global revision counter,
 * implicit directories, per-key mod/create revisions, and optional lease ownership.
 */
export class MemoryStore {
  readonly entries = new Map<string, MemoryEntry>();
  private revision = 0n;
  private readonly listeners = new Set<MemoryListener>();

  /** Current store revision. */
  get currentRevision(): bigint {
    return this.revision;
  }

  /** Writes a key, returning its new mod revision. */
  put(key: string, data: Uint8Array, lease: number | null = null): bigint {
    const rev = ++this.revision;
    const prev = this.entries.get(key);
    const copy = new Uint8Array(data);
    this.entries.set(key, { data: copy, modRevision: rev, createRevision: prev?.createRevision ?? rev, lease: prev?.lease ?? lease });
    this.emit({ key, type: "put", revision: rev, data: copy });
    return rev;
  }

  /** Deletes a key if present; returns whether it existed. */
  remove(key: string): boolean {
    if (!this.entries.delete(key)) return false;
    const rev = ++this.revision;
    this.emit({ key, type: "delete", revision: rev, data: new Uint8Array(0) });
    return true;
  }

  /** Keys starting with `prefix`, sorted. */
  keysWithPrefix(prefix: string): string[] {
    return [...this.entries.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  /** Registers a listener for every change; returns the unsubscribe function. */
  subscribe(l: MemoryListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(c: MemoryChange): void {
    for (const l of [...this.listeners]) l(c);
  }
}
