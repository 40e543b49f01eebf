import { SqlError } from "@vt/errors";
import type { ConnPool } from "./conn-pool.js";
import type { DbConn } from "./db-conn.js";

/** Settings of a {@link TxPool}. */
export interface TxPoolOptions {
  /** The transaction connection pool (--queryserver-config-transaction-cap). */
  pool: ConnPool;
  /**
   * Connections opened with CLIENT_FOUND_ROWS, for transactions begun with `foundRows` (Vitess's found_rows_pool);
   * absent: those use `pool` too.
   */
  foundRowsPool?: ConnPool;
  /** Kill transactions open longer than this (--queryserver-config-transaction-timeout), in ms; 0 disables. */
  timeoutMs: number;
  /** First transaction id; ids then increase by one. Default: based on the clock, as Vitess does. */
  firstId?: bigint;
}

/** Exclusive use of one transaction's connection, from {@link TxPool.enter}; give it back with {@link TxPool.leave}. */
export interface TxLease {
  readonly conn: DbConn;
}

interface OpenTx extends TxLease {
  readonly id: bigint;
  /** The pool `conn` came from (and goes back to). */
  readonly pool: ConnPool;
  readonly started: number;
  /** Name of the MariaDB XA transaction when opened as one (2PC-capable); commit/rollback then use XA statements. */
  readonly xid: string | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** A call has the connection; calls on one transaction run one at a time. */
  busy: boolean;
  /** Calls waiting for the connection, FIFO (allocated on first contention). */
  waiters: (() => void)[] | undefined;
}

const RECENT_LIMIT = 1000;

/**
 * Open transactions by id, each holding one connection from the transaction pool. A killer closes (and thereby
 * rolls back) transactions that outlive the timeout; later calls on them fail with ABORTED, as in Vitess.
 */
export class TxPool {
  private readonly open = new Map<bigint, OpenTx>();
  /** Why recently ended transactions ended, for Vitess-style error messages. */
  private readonly ended = new Map<bigint, string>();
  private nextId: bigint;

  constructor(private readonly opts: TxPoolOptions) {
    this.nextId = opts.firstId ?? BigInt(Date.now()) * 1000n;
  }

  /** Number of open transactions. */
  get size(): number { return this.open.size; }

  /**
   * Takes a connection, runs the statements that start a transaction (e.g. `begin`) and returns the new id.
   * Throws the pool's or MariaDB's SqlError; the connection goes back to the pool on failure.
   * With `xa`, the transaction is a MariaDB XA transaction named `xa(id)` (`beginSql` is then only a prefix such as
   * an isolation level, ending in "; " or empty) so that it can be prepared later (see {@link detach}).
   * With `foundRows`, the connection comes from the found-rows pool (CLIENT_FOUND_ROWS: affected rows = rows matched).
   */
  async begin(beginSql: string, xa?: (id: bigint) => string, foundRows = false): Promise<bigint> {
    const pool = foundRows ? this.opts.foundRowsPool ?? this.opts.pool : this.opts.pool;
    const conn = await pool.get();
    const id = this.nextId++;
    const xid = xa?.(id);
    try {
      await conn.query(xid === undefined ? beginSql : `${beginSql}xa start '${xid}'`);
    } catch (e) {
      pool.put(conn);
      throw e;
    }
    this.register({ id, conn, pool, started: Date.now(), xid, timer: undefined, busy: false, waiters: undefined });
    return id;
  }

  /** Adds an open transaction, with its timeout kill. */
  private register(tx: OpenTx): void {
    if (this.opts.timeoutMs > 0) {
      tx.timer = setTimeout(() => this.kill(tx, `exceeded timeout: ${this.opts.timeoutMs / 1000}s`), this.opts.timeoutMs);
      tx.timer.unref?.();
    }
    this.open.set(tx.id, tx);
  }

  /**
   * Opens a transaction and runs its first statement in the same MariaDB round trip: `fn` gets the connection and
   * must send `beginSql` followed by the statement as one multi-statement text. Returns the new id with fn's value,
   * or with the error fn threw: the transaction stays open then (BeginExecute reports the query's error with the
   * transaction id, so the caller can roll it back), unless the connection broke (then it throws).
   */
  async beginWith<T>(beginSql: string, fn: (c: DbConn, beginSql: string) => Promise<T>, foundRows = false): Promise<{ id: bigint; value?: T; error?: unknown }> {
    const pool = foundRows ? this.opts.foundRowsPool ?? this.opts.pool : this.opts.pool;
    const conn = await pool.get();
    let value: T | undefined;
    let error: unknown;
    let failed = false;
    try {
      value = await fn(conn, beginSql);
    } catch (e) {
      if (conn.closed) {
        pool.put(conn);
        throw e;
      }
      failed = true;
      error = e;
    }
    const id = this.nextId++;
    this.register({ id, conn, pool, started: Date.now(), xid: undefined, timer: undefined, busy: false, waiters: undefined });
    return failed ? { id, error } : { id, value: value as T };
  }

  /**
   * Runs fn on the transaction's connection, after any earlier call on the same transaction finished.
   * Throws NOT_FOUND for an unknown id, ABORTED for a killed one.
   */
  async run<T>(id: bigint, fn: (c: DbConn) => Promise<T>): Promise<T> {
    const e = this.enter(id);
    const lease = e instanceof Promise ? await e : e;
    try {
      return await fn(lease.conn);
    } finally {
      this.leave(lease);
    }
  }

  /**
   * Exclusive use of the transaction's connection: returned at once (no promise, no allocation) when no other call
   * on the transaction is running, else a promise of it once the earlier calls are done (FIFO). Give it back with
   * leave(). Throws (or rejects with) NOT_FOUND for an unknown id, ABORTED for a killed one.
   */
  enter(id: bigint): TxLease | Promise<TxLease> {
    const tx = this.lookup(id);
    if (!tx.busy) {
      tx.busy = true;
      return tx;
    }
    return new Promise<void>((r) => { (tx.waiters ??= []).push(r); }).then(() => {
      if (this.open.get(id) === tx) return tx;
      this.leave(tx);
      throw this.goneError(id);
    });
  }

  /** Gives back a lease from enter(): the next waiting call on the transaction gets the connection. */
  leave(lease: TxLease): void {
    const tx = lease as OpenTx;
    const next = tx.waiters?.shift();
    if (next !== undefined) next(); // handed over: stays busy
    else tx.busy = false;
  }

  /**
   * Waits for exclusive use of the transaction's connection (for streaming); call release() when done.
   * Throws NOT_FOUND for an unknown id, ABORTED for a killed one.
   */
  async acquire(id: bigint): Promise<{ conn: DbConn; release: () => void }> {
    const e = this.enter(id);
    const lease = e instanceof Promise ? await e : e;
    return { conn: lease.conn, release: () => this.leave(lease) };
  }

  /** Commits and releases the transaction. Throws like run(); the id is gone afterwards even if COMMIT failed. */
  commit(id: bigint): Promise<void> {
    const xid = this.open.get(id)?.xid;
    return this.finish(id, xid === undefined ? "commit" : `xa end '${xid}'; xa commit '${xid}' one phase`, "committed");
  }

  /** Rolls back and releases the transaction. */
  rollback(id: bigint): Promise<void> {
    const xid = this.open.get(id)?.xid;
    return this.finish(id, xid === undefined ? "rollback" : `xa end '${xid}'; xa rollback '${xid}'`, "rolled back");
  }

  /** The XA name of open transaction `id` (undefined when it was opened with a plain BEGIN). Throws like run(). */
  xidOf(id: bigint): string | undefined { return this.lookup(id).xid; }

  /**
   * Takes transaction `id` out of the pool's care (no timeout kill, no rollbackAll), after earlier calls on it
   * finished, and hands its connection over (2PC: a prepared XA transaction stays on the connection that prepared
   * it). `release` returns the connection to the pool (closed first when not `reusable`). Throws like run().
   */
  async detach(id: bigint, reason: string): Promise<{ conn: DbConn; xid: string | undefined; release: (reusable: boolean) => void }> {
    const tx = this.lookup(id);
    const lease = await this.acquire(id);
    this.release(tx, reason);
    lease.release();
    return {
      conn: tx.conn, xid: tx.xid,
      release: (reusable) => {
        if (!reusable) tx.conn.close();
        tx.pool.put(tx.conn);
      },
    };
  }

  /** Rolls back every open transaction (shutdown, demotion). */
  async rollbackAll(reason: string): Promise<void> {
    await Promise.all([...this.open.values()].map((tx) => this.finish(tx.id, "rollback", reason).catch(() => undefined)));
  }

  private async finish(id: bigint, sql: string, reason: string): Promise<void> {
    const e = this.enter(id);
    const tx = (e instanceof Promise ? await e : e) as OpenTx;
    this.release(tx, reason);
    const c = tx.conn;
    try {
      await c.query(sql);
    } catch (err) {
      if (tx.xid !== undefined) c.close(); // an XA transaction in an unknown state: drop the connection (rolls back)
      throw err;
    } finally {
      tx.pool.put(c);
      this.leave(tx);
    }
  }

  private kill(tx: OpenTx, reason: string): void {
    if (this.open.get(tx.id) !== tx) return;
    this.release(tx, `ended at ${new Date().toISOString()} (${reason})`);
    tx.conn.close();
    tx.pool.put(tx.conn);
  }

  private release(tx: OpenTx, reason: string): void {
    if (tx.timer) clearTimeout(tx.timer);
    this.open.delete(tx.id);
    this.ended.set(tx.id, reason);
    if (this.ended.size > RECENT_LIMIT) {
      const first = this.ended.keys().next();
      if (!first.done) this.ended.delete(first.value);
    }
  }

  private lookup(id: bigint): OpenTx {
    const tx = this.open.get(id);
    if (tx === undefined) throw this.goneError(id);
    return tx;
  }

  private goneError(id: bigint): SqlError {
    const why = this.ended.get(id);
    return why === undefined
      ? new SqlError(1105, "HY000", `transaction ${id}: not found`, "NOT_FOUND")
      : new SqlError(1105, "HY000", `transaction ${id}: ${why}`, "ABORTED");
  }
}
