import { SqlError } from "@vt/errors";
import type { DbConn, DbConnFactory } from "./db-conn.js";

/** Settings of one {@link ConnPool}. */
export interface ConnPoolOptions {
  /** Pool name for error messages and stats ("conn_pool", "transaction_pool", ...). */
  name: string;
  /** Maximum number of open connections. */
  capacity: number;
  /** How long get() waits for a free connection, in ms; 0 waits forever. */
  waitTimeoutMs: number;
  /** Opens a connection. */
  factory: DbConnFactory;
  /**
   * pipelined(): how many statements of one event-loop turn may share one connection (sent back-to-back in one
   * write; MariaDB runs them in order on one thread). 1 or absent: none share.
   */
  pipelineDepth?: number;
}

interface Waiter {
  resolve: (c: DbConn) => void;
  reject: (e: SqlError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * A bounded pool of MariaDB connections, like Vitess's connpool: opens lazily up to `capacity`, hands idle connections
 * out LIFO, queues callers FIFO when full, and drops connections that report `closed`.
 */
export class ConnPool {
  private readonly idle: DbConn[] = [];
  private readonly waiters: Waiter[] = [];
  private open = 0;
  private shut = false;
  /** pipelined(): the connection this turn's statements join, how many joined, and how many calls use each. */
  private batch: DbConn | undefined;
  private batchSize = 0;
  private readonly users = new Map<DbConn, number>();
  /** The turn is over: its statements no longer join the batch (made once: no closure per turn). */
  private readonly endBatch = (): void => { this.batch = undefined; };

  constructor(private readonly opts: ConnPoolOptions) {}

  /** Counts for stats/health. */
  stats(): { capacity: number; open: number; idle: number; waiters: number } {
    return { capacity: this.opts.capacity, open: this.open, idle: this.idle.length, waiters: this.waiters.length };
  }

  /**
   * Takes a connection; the caller must put() it back. Throws SqlError RESOURCE_EXHAUSTED when the wait times out,
   * UNAVAILABLE when the pool is closed, or the factory's error when connecting fails.
   */
  async get(): Promise<DbConn> {
    if (this.shut) throw this.closedError();
    for (;;) {
      const c = this.idle.pop();
      if (c === undefined) break;
      if (!c.closed) return c;
      this.open--;
    }
    if (this.open < this.opts.capacity) return this.dial();
    return new Promise((resolve, reject) => {
      const w: Waiter = { resolve, reject, timer: undefined };
      if (this.opts.waitTimeoutMs > 0) {
        w.timer = setTimeout(() => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new SqlError(1105, "HY000", `${this.opts.name}: resource pool timed out`, "RESOURCE_EXHAUSTED"));
        }, this.opts.waitTimeoutMs);
      }
      this.waiters.push(w);
    });
  }

  /** Returns a connection taken with get(). Closed connections free their slot. */
  put(c: DbConn): void {
    if (c.closed || this.shut) {
      if (!c.closed) c.close();
      this.open--;
      this.serveWaiter();
      return;
    }
    const w = this.waiters.shift();
    if (w !== undefined) {
      if (w.timer) clearTimeout(w.timer);
      w.resolve(c);
      return;
    }
    this.idle.push(c);
  }

  /** Runs fn with a pooled connection and puts it back afterwards. */
  async with<T>(fn: (c: DbConn) => Promise<T>): Promise<T> {
    const c = await this.get();
    try {
      return await fn(c);
    } finally {
      this.put(c);
    }
  }

  /**
   * Like with(), for statements that may share a connection with others of the same event-loop turn (autocommit
   * queries): up to `pipelineDepth` calls made in one turn run on one connection, pipelined (one write and one
   * MariaDB wake-up for all of them instead of one each). The connection goes back to the pool when the last of them
   * is answered. Falls back to with() when pipelining is off, no connection is idle, or the connection cannot pipeline.
   */
  pipelined<T>(fn: (c: DbConn) => Promise<T>): Promise<T> {
    const c = this.takeShared();
    return c === undefined ? this.with(fn) : this.runShared(c, fn);
  }

  /**
   * The connection pipelined() would use, taken synchronously (undefined: use with()); give it back with
   * releaseShared() once its query is answered.
   */
  takeShared(): DbConn | undefined {
    const depth = this.opts.pipelineDepth ?? 1;
    if (depth <= 1 || this.shut) return undefined;
    let c = this.batch;
    if (c === undefined || c.closed || this.batchSize >= depth) {
      c = this.idle.pop();
      while (c !== undefined && c.closed) { this.open--; c = this.idle.pop(); }
      if (c === undefined) return undefined;
      if (c.pipelines !== true) { this.idle.push(c); return undefined; }
      if (this.batch === undefined) process.nextTick(this.endBatch);
      this.batch = c;
      this.batchSize = 0;
    }
    this.batchSize++;
    this.users.set(c, (this.users.get(c) ?? 0) + 1);
    return c;
  }

  /** Gives back a connection from takeShared(); it returns to the pool when its last user is done. */
  releaseShared(c: DbConn): void {
    const n = this.users.get(c)! - 1;
    if (n > 0) { this.users.set(c, n); return; }
    this.users.delete(c);
    if (this.batch === c) this.batch = undefined;
    this.put(c);
  }

  private async runShared<T>(c: DbConn, fn: (c: DbConn) => Promise<T>): Promise<T> {
    try {
      return await fn(c);
    } finally {
      this.releaseShared(c);
    }
  }

  /** Closes idle connections and fails waiters; connections in use are closed when put back. */
  close(): void {
    this.shut = true;
    for (const c of this.idle.splice(0)) { c.close(); this.open--; }
    for (const w of this.waiters.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(this.closedError());
    }
  }

  private async dial(): Promise<DbConn> {
    this.open++;
    try {
      return await this.opts.factory();
    } catch (e) {
      this.open--;
      this.serveWaiter();
      throw e;
    }
  }

  /** A slot freed up: let the first waiter open a new connection. */
  private serveWaiter(): void {
    const w = this.waiters.shift();
    if (w === undefined) return;
    if (w.timer) clearTimeout(w.timer);
    this.dial().then(w.resolve, (e: unknown) => w.reject(SqlError.from(e)));
  }

  private closedError(): SqlError {
    return new SqlError(1105, "HY000", `${this.opts.name} is closed`, "UNAVAILABLE");
  }
}
