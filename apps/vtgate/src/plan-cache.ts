/**
 * A size-bounded, approximately-LRU map for plans keyed by normalized SQL (plus the session target). Map insertion
 * order gives recency; an insert past capacity drops the oldest. A hit re-inserts its entry only once the entry has
 * drifted into the older half of the map (counted in inserts and moves since it was last placed), so a hot entry
 * costs a lookup, not a delete and an insert, per hit, yet never reaches the eviction end while it is used.
 */
export class PlanCache<V> {
  private readonly map = new Map<string, { v: V; at: number }>();
  /** Inserts and moves so far: an entry's `at` is this counter when it was placed at the young end. */
  private clock = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) { this.misses++; return undefined; }
    this.hits++;
    if (this.clock - e.at > this.capacity >> 1) {
      this.map.delete(key);
      e.at = ++this.clock;
      this.map.set(key, e);
    }
    return e.v;
  }

  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, { v, at: ++this.clock });
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
