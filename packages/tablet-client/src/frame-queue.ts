/** An unbounded async queue of items ending with done or an error; one consumer. */
export class FrameQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private ended = false;
  private error: unknown;
  private wake: (() => void) | undefined;

  /** Adds an item. */
  push(item: T): void { this.items.push(item); this.notify(); }
  /** Ends the queue, with an error if given. */
  end(error?: unknown): void { this.ended = true; this.error = error; this.notify(); }

  private notify(): void { const w = this.wake; this.wake = undefined; w?.(); }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length > 0) {
        const batch = this.items;
        this.items = [];
        for (const it of batch) yield it;
        continue;
      }
      if (this.ended) {
        if (this.error !== undefined) throw this.error;
        return;
      }
      await new Promise<void>((r) => { this.wake = r; });
    }
  }
}
