/** Something a closing conn can interrupt. */
export interface Failable {
  fail(err: unknown): void;
}

/**
 * An unbounded single-consumer queue exposed as an AsyncIterable: producers push values, end it, or fail it.
 * `onReturn` runs once when the consumer stops early (break/return) or the queue ends.
 */
export class AsyncQueue<T> implements AsyncIterable<T>, Failable {
  private readonly items: T[] = [];
  private waiter: ((r: IteratorResult<T>) => void) | null = null;
  private failWaiter: ((e: unknown) => void) | null = null;
  private done = false;
  private error: unknown = undefined;
  private hasError = false;
  private returned = false;

  constructor(private readonly onReturn: () => void = () => {}) {}

  /** Whether end() or fail() was called. */
  get closed(): boolean {
    return this.done;
  }

  /** Enqueues a value (ignored after end/fail). */
  push(v: T): void {
    if (this.done) return;
    if (this.waiter !== null) {
      const w = this.waiter;
      this.clearWaiters();
      w({ value: v, done: false });
    } else {
      this.items.push(v);
    }
  }

  /** Ends the stream after the queued values. */
  end(): void {
    if (this.done) return;
    this.done = true;
    this.finish();
    if (this.waiter !== null) {
      const w = this.waiter;
      this.clearWaiters();
      w({ value: undefined, done: true });
    }
  }

  /** Ends the stream with an error, thrown after the queued values. */
  fail(err: unknown): void {
    if (this.done) return;
    this.done = true;
    this.hasError = true;
    this.error = err;
    this.finish();
    if (this.failWaiter !== null) {
      const f = this.failWaiter;
      this.clearWaiters();
      f(err);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      return: async () => {
        this.end();
        this.items.length = 0;
        return { value: undefined, done: true };
      },
    };
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
    if (this.hasError) return Promise.reject(this.error);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failWaiter = reject;
    });
  }

  private clearWaiters(): void {
    this.waiter = null;
    this.failWaiter = null;
  }

  private finish(): void {
    if (this.returned) return;
    this.returned = true;
    this.onReturn();
  }
}
