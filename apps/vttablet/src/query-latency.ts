/**
 * How long each query text (the template, bind variables not substituted) recently took, as a moving average of
 * milliseconds. Pipelining uses it to keep slow statements off shared connections: a statement pipelined behind a
 * slow one waits for it, so only templates not known to be slow share a connection. The average moves, so a template
 * slowed once by a stall (a GC pause, a busy machine) is pipelined again after a few normal executions.
 */
export class QueryLatency {
  /** Texts longer than this (bulk INSERTs with literal values, say) are not remembered: memory stays bounded. */
  static readonly MAX_TEXT = 2048;

  readonly #avg = new Map<string, number>();

  /**
   * @param slowMs average at or above which a template counts as slow
   * @param maxTemplates templates remembered; the oldest are forgotten first
   * @param weight weight of the newest sample in the average
   */
  constructor(readonly slowMs = 20, private readonly maxTemplates = 10_000, private readonly weight = 0.2) {}

  /** True when `sql`'s recent average is at or above slowMs (a template never seen is not slow). */
  isSlow(sql: string): boolean {
    const a = this.#avg.get(sql);
    return a !== undefined && a >= this.slowMs;
  }

  /** Notes that `sql` took `ms` (from sending it to its answer). */
  record(sql: string, ms: number): void {
    if (sql.length > QueryLatency.MAX_TEXT) return;
    const a = this.#avg.get(sql);
    if (a === undefined) {
      if (this.#avg.size >= this.maxTemplates) this.#avg.delete(this.#avg.keys().next().value!);
      this.#avg.set(sql, ms);
    } else {
      this.#avg.set(sql, a + (ms - a) * this.weight);
    }
  }

  /** Templates remembered. */
  get size(): number { return this.#avg.size; }
}
