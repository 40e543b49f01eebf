import { EventEmitter } from "node:events";
import { mayChangeSchema } from "./schema-engine.js";
import { SqlError } from "@vt/errors";
import type { BindVariable, Result } from "@vt/sqltypes";
import { substituteBindVars } from "./bind-vars.js";
import type { ConnPool } from "./conn-pool.js";
import type { DbConn } from "./db-conn.js";
import type { CallCancel } from "./call-cancel.js";
import type { KillTarget } from "./kill-statement.js";
import { QueryKiller, type WatchedQuery } from "./query-killer.js";
import { QueryLatency } from "./query-latency.js";
import { parseNextVal, SequenceCache } from "./sequence-cache.js";
import { mergeResults } from "./merge-results.js";
import type { TxLease, TxPool } from "./tx-pool.js";
import type { TwoPc } from "./two-pc.js";

/** The keyspace/shard/type a request expects (proto query.Target is assignable to it). */
export interface TargetLike {
  readonly keyspace: string;
  readonly shard: string;
  /** topodata.TabletType number; 0 (UNKNOWN) matches any type. */
  readonly tabletType: number;
}

/** The ExecuteOptions fields the tablet honours (proto query.ExecuteOptions is assignable to it). */
export interface ExecOptionsLike {
  readonly transactionIsolation?: number;
  readonly transactionAccessMode?: readonly number[];
  readonly workload?: number;
  /** Open the transaction as a MariaDB XA transaction so it can be prepared (2PC; our ExecuteOptions extension). */
  readonly prepareCapable?: boolean;
  /**
   * The client asked for CLIENT_FOUND_ROWS (vtgate passes its client's capability): the query, or the transaction
   * this begins, runs on a connection opened with CLIENT_FOUND_ROWS (affected rows = rows matched).
   */
  readonly clientFoundRows?: boolean;
  /** Per-call timeout (proto oneof `timeout`: `authoritativeTimeout` in ms) overriding the tablet's query timeout. */
  readonly timeout?: { readonly case?: string | undefined; readonly value?: bigint | undefined };
}

/** What the tablet serves and whether it serves; changes are announced with a "state" event. */
export interface ServingState {
  keyspace: string;
  shard: string;
  tabletType: number;
  serving: boolean;
  /** Unix seconds when this tablet became primary (0 when not primary). */
  primaryTermStartTime: number;
}

/** Collaborators and limits of a {@link TabletServer}. */
export interface TabletServerOptions {
  state: ServingState;
  queryPool: ConnPool;
  streamPool: ConnPool;
  txPool: TxPool;
  /**
   * Connections opened with CLIENT_FOUND_ROWS for queries outside a transaction that ask for it (Vitess's
   * found_rows_pool); absent: such queries use `queryPool`.
   */
  foundRowsPool?: ConnPool;
  /** --queryserver-config-max-result-size: Execute fails when a result has more rows. 0 = unlimited. */
  maxResultSize: number;
  /** --queryserver-config-stream-buffer-size: bytes of rows per streamed chunk. */
  streamBufferSize: number;
  /** --queryserver-config-query-timeout in ms; 0 or absent = no limit. Applies to Execute (not streams). */
  queryTimeoutMs?: number;
  /** Stops one statement on MariaDB and no other statement of its connection (killStatement on a dba connection). */
  killQuery?: (q: KillTarget) => Promise<void>;
  /** The 2PC participant / metadata manager (two-pc.ts); absent: 2PC calls fail with UNIMPLEMENTED. */
  twoPc?: TwoPc;
}

/** The error of a query killed by the query timeout, as MySQL reports max_execution_time (3024/HY000). */
export const queryTimeoutError = (): SqlError => new SqlError(3024, "HY000",
  "Query execution was interrupted, maximum statement execution time exceeded", "DEADLINE_EXCEEDED");

const TABLET_TYPE_NAMES = ["UNKNOWN", "PRIMARY", "REPLICA", "RDONLY", "SPARE", "EXPERIMENTAL", "BACKUP", "RESTORE", "DRAINED"];
/** "PRIMARY" for 1, etc. */
export const tabletTypeName = (t: number): string => TABLET_TYPE_NAMES[t] ?? `UNKNOWN(${t})`;

const ISOLATION: Record<number, string> = {
  1: "set transaction isolation level repeatable read; ",
  2: "set transaction isolation level read committed; ",
  3: "set transaction isolation level read uncommitted; ",
  4: "set transaction isolation level serializable; ",
};

/** The isolation prefix (possibly empty, else ending in "; ") of an XA begin, or undefined when a plain begin is needed. */
export function xaBeginPrefix(opts: ExecOptionsLike | undefined): string | undefined {
  if (opts?.prepareCapable !== true || opts.transactionIsolation === 5) return undefined;
  if ((opts.transactionAccessMode ?? []).some((m) => m !== 1)) return undefined; // read only / consistent snapshot
  return ISOLATION[opts.transactionIsolation ?? 0] ?? "";
}

/** The statement(s) that open a transaction with the requested isolation and access mode. */
export function beginSql(opts: ExecOptionsLike | undefined): string {
  if (opts?.transactionIsolation === 5) {
    return "set transaction isolation level repeatable read; start transaction with consistent snapshot, read only";
  }
  const prefix = ISOLATION[opts?.transactionIsolation ?? 0] ?? "";
  const modes = (opts?.transactionAccessMode ?? []).map((m) =>
    m === 0 ? "with consistent snapshot" : m === 1 ? "read write" : "read only");
  return prefix + (modes.length > 0 ? `start transaction ${modes.join(", ")}` : "begin");
}

/**
 * The query service of one tablet: runs queries on pooled MariaDB connections, holds transactions, checks the target
 * and serving state. Transport-free; the gRPC and Multiplex handlers translate to and from protobuf around it.
 * Every method throws SqlError (MariaDB's errno/SQLSTATE for MariaDB errors).
 */
export class TabletServer extends EventEmitter<{ state: [ServingState]; ddl: [] }> {
  queries = 0;
  /** Sequence tables' cached id blocks (`select next N values from seq`). */
  readonly sequences: SequenceCache;
  /** Recent time per autocommit query template; slow ones are not pipelined. */
  readonly latency = new QueryLatency();
  private readonly killer: QueryKiller | undefined;

  constructor(private readonly opts: TabletServerOptions) {
    super();
    this.sequences = new SequenceCache((fn) => opts.queryPool.with(fn));
    this.killer = opts.killQuery ? new QueryKiller(opts.killQuery) : undefined;
  }

  /** Current serving state (a copy). */
  get state(): ServingState { return { ...this.opts.state }; }

  /** Announces that the schema may have changed (DDL ran, ApplySchema, ReloadSchema): the schema engine reloads. */
  noteSchemaChange(): void {
    this.emit("ddl");
  }

  /** Changes the serving state and announces it. */
  setState(patch: Partial<ServingState>): void {
    Object.assign(this.opts.state, patch);
    this.emit("state", this.state);
  }

  /**
   * Runs a query (bind variables substituted into the text), inside transaction `txId` when non-zero.
   * Several statements in one text return one merged result (see mergeResults). When `cancel` aborts (the caller
   * cancelled the call), KILL QUERY stops the statement on MariaDB and the call fails with 1317/70100.
   */
  async execute(target: TargetLike | undefined, sql: string, bindVars: Readonly<Record<string, BindVariable>>,
    txId: bigint, opts?: ExecOptionsLike, cancel?: CallCancel): Promise<Result> {
    this.checkTarget(target, txId !== 0n);
    this.queries++;
    const next = parseNextVal(sql, bindVars);
    if (next !== null) return this.sequences.execute(next);
    const bound = substituteBindVars(sql, bindVars);
    const timeoutMs = opts?.timeout?.case === "authoritativeTimeout" && opts.timeout.value !== undefined
      ? Number(opts.timeout.value) : this.opts.queryTimeoutMs ?? 0;
    const pool = txId !== 0n ? undefined
      : opts?.clientFoundRows === true ? this.opts.foundRowsPool ?? this.opts.queryPool : this.opts.queryPool;
    // The hot paths take the connection synchronously and await the query right here: no closure, no extra promise.
    let shared: DbConn | undefined;
    let lease: TxLease | undefined;
    let c: DbConn;
    if (pool === undefined) {
      const e = this.opts.txPool.enter(txId);
      lease = e instanceof Promise ? await e : e;
      c = lease.conn;
    } else {
      // Templates known to be slow never share a connection: what is pipelined behind them would wait for them.
      shared = this.latency.isSlow(sql) ? undefined : pool.takeShared();
      c = shared ?? await pool.get();
    }
    let results: Result[];
    let w: WatchedQuery | undefined;
    try {
      w = this.watch(c, bound, timeoutMs, cancel);
      const t0 = pool === undefined ? 0 : performance.now();
      results = await c.query(bound, w !== undefined && !w.started ? w : undefined);
      if (pool !== undefined) this.latency.record(sql, performance.now() - t0);
    } catch (e) {
      throw w === undefined ? e : watchedFailure(e, w, cancel);
    } finally {
      if (w !== undefined) this.unwatch(w, cancel);
      if (lease !== undefined) this.opts.txPool.leave(lease);
      else if (shared !== undefined) pool!.releaseShared(shared);
      else pool!.put(c);
    }
    if (mayChangeSchema(sql)) this.noteSchemaChange();
    return this.checkSize(mergeResults(results));
  }

  /**
   * Runs `sql`; if it is still running after `timeoutMs`, KILL QUERY stops it on MariaDB and the call fails with
   * 3024/HY000 (the connection stays usable). `timeoutMs` 0: no deadline. When `cancel` aborts while it runs,
   * KILL QUERY stops it too and the call fails with 1317/70100.
   */
  private async queryWithTimeout(c: DbConn, sql: string, timeoutMs: number, cancel?: CallCancel): Promise<Result[]> {
    const w = this.watch(c, sql, timeoutMs, cancel);
    if (w === undefined) return c.query(sql);
    try {
      return await c.query(sql, w.started ? undefined : w);
    } catch (e) {
      throw watchedFailure(e, w, cancel);
    } finally {
      this.unwatch(w, cancel);
    }
  }

  /**
   * Before a statement runs on `c`: watches it for the query killer (deadline `timeoutMs`, 0 = none) and lets
   * `cancel` kill it. Undefined when there is nothing to watch. Throws 1317/70100 when the call is already cancelled.
   * A statement queued behind others pipelined on `c` comes back not `started` (pass it to query() as `start`).
   */
  private watch(c: DbConn, sql: string, timeoutMs: number, cancel: CallCancel | undefined): WatchedQuery | undefined {
    const killer = this.killer;
    if (killer === undefined || (timeoutMs <= 0 && cancel === undefined)) return undefined;
    if (cancel?.aborted) throw interruptedError();
    const w = timeoutMs > 0 ? killer.watch(c.threadId, sql, timeoutMs) : killer.unwatched(c.threadId, sql);
    if (cancel !== undefined) cancel.onAbort = w;
    if (c.pending !== undefined && c.pending > 0) w.started = false; // pipelined behind other statements
    return w;
  }

  /** After the statement watched by watch() returned. */
  private unwatch(w: WatchedQuery, cancel: CallCancel | undefined): void {
    if (cancel !== undefined) cancel.onAbort = undefined;
    this.killer!.done(w);
  }

  /** Streams a query's rows in chunks of about --queryserver-config-stream-buffer-size bytes; fields come first. */
  async *streamExecute(target: TargetLike | undefined, sql: string, bindVars: Readonly<Record<string, BindVariable>>,
    txId: bigint, _opts?: ExecOptionsLike): AsyncIterable<Result> {
    this.checkTarget(target, txId !== 0n);
    const bound = substituteBindVars(sql, bindVars);
    this.queries++;
    if (txId !== 0n) {
      const lease = await this.opts.txPool.acquire(txId);
      try {
        yield* lease.conn.stream(bound, this.opts.streamBufferSize);
      } finally {
        lease.release();
      }
      return;
    }
    const conn = await this.opts.streamPool.get();
    try {
      yield* conn.stream(bound, this.opts.streamBufferSize);
    } finally {
      this.opts.streamPool.put(conn);
    }
  }

  /** Opens a transaction and returns its id. */
  async begin(target: TargetLike | undefined, opts?: ExecOptionsLike): Promise<bigint> {
    this.checkTarget(target, false);
    const xa = xaBeginPrefix(opts);
    const foundRows = opts?.clientFoundRows === true;
    if (xa !== undefined) return this.opts.txPool.begin(xa, (id) => `vt_${id}`, foundRows);
    return this.opts.txPool.begin(beginSql(opts), undefined, foundRows);
  }

  /** The 2PC manager after checking the target (`inTx`: allowed while not serving). Throws UNIMPLEMENTED without one. */
  twoPcFor(target: TargetLike | undefined, inTx: boolean): TwoPc {
    this.checkTarget(target, inTx);
    if (this.opts.twoPc === undefined) throw new SqlError(1105, "HY000", "2pc is not enabled on this tablet", "UNIMPLEMENTED");
    return this.opts.twoPc;
  }

  /** Commits transaction `txId`. */
  async commit(target: TargetLike | undefined, txId: bigint): Promise<void> {
    this.checkTarget(target, true);
    await this.opts.txPool.commit(txId);
  }

  /** Rolls back transaction `txId`. */
  async rollback(target: TargetLike | undefined, txId: bigint): Promise<void> {
    this.checkTarget(target, true);
    await this.opts.txPool.rollback(txId);
  }

  /**
   * Begin + Execute in one call. The transaction id is returned even when the query fails (in `error`), so the
   * caller can roll it back, as in Vitess's BeginExecute.
   */
  async beginExecute(target: TargetLike | undefined, sql: string, bindVars: Readonly<Record<string, BindVariable>>,
    opts?: ExecOptionsLike, preQueries: readonly string[] = []): Promise<{ transactionId: bigint; result?: Result; error?: SqlError }> {
    if (preQueries.length === 0 && xaBeginPrefix(opts) === undefined && parseNextVal(sql, bindVars) === null) {
      return this.beginAndExecute(target, sql, bindVars, opts);
    }
    const transactionId = await this.begin(target, opts);
    try {
      // pre-queries (vtgate replays the session's savepoints on a shard joining the transaction late)
      if (preQueries.length > 0) await this.opts.txPool.run(transactionId, (c) => c.query(preQueries.join("; ")));
      return { transactionId, result: await this.execute(target, sql, bindVars, transactionId, opts) };
    } catch (e) {
      return { transactionId, error: SqlError.from(e) };
    }
  }

  /**
   * BeginExecute's common case (no savepoints to replay, no XA, no sequence): the begin statement(s) and the query go
   * to MariaDB as one multi-statement text, one round trip instead of two.
   */
  private async beginAndExecute(target: TargetLike | undefined, sql: string, bindVars: Readonly<Record<string, BindVariable>>,
    opts: ExecOptionsLike | undefined): Promise<{ transactionId: bigint; result?: Result; error?: SqlError }> {
    this.checkTarget(target, false);
    this.queries++;
    const bound = substituteBindVars(sql, bindVars);
    const timeoutMs = opts?.timeout?.case === "authoritativeTimeout" && opts.timeout.value !== undefined
      ? Number(opts.timeout.value) : this.opts.queryTimeoutMs ?? 0;
    const r = await this.opts.txPool.beginWith(beginSql(opts), async (c, begin) => {
      const text = `${begin}; ${bound}`;
      const results = timeoutMs > 0 ? await this.queryWithTimeout(c, text, timeoutMs) : await c.query(text);
      return this.checkSize(mergeResults(results.slice(begin.split("; ").length)));
    }, opts?.clientFoundRows === true);
    return r.error !== undefined ? { transactionId: r.id, error: SqlError.from(r.error) } : { transactionId: r.id, result: r.value! };
  }

  /** Rolls back every open transaction (demotion). */
  rollbackAll(reason: string): Promise<void> {
    return this.opts.txPool.rollbackAll(reason);
  }

  /** Stops serving: rolls back open transactions and closes the pools. */
  async shutdown(): Promise<void> {
    this.setState({ serving: false });
    this.killer?.close();
    await this.opts.txPool.rollbackAll("tablet shutting down");
    this.opts.queryPool.close();
    this.opts.streamPool.close();
    this.opts.foundRowsPool?.close();
  }

  private checkTarget(target: TargetLike | undefined, inTx: boolean): void {
    const s = this.opts.state;
    if (!s.serving && !inTx) {
      throw new SqlError(1105, "HY000", "operation not allowed in state NOT_SERVING", "FAILED_PRECONDITION");
    }
    if (target === undefined) return;
    if (target.keyspace !== "" && target.keyspace !== s.keyspace) {
      throw new SqlError(1105, "HY000", `invalid keyspace ${target.keyspace} does not match expected ${s.keyspace}`, "FAILED_PRECONDITION");
    }
    if (target.shard !== "" && target.shard !== s.shard) {
      throw new SqlError(1105, "HY000", `invalid shard ${target.shard} does not match expected ${s.shard}`, "FAILED_PRECONDITION");
    }
    if (target.tabletType !== 0 && target.tabletType !== s.tabletType) {
      throw new SqlError(1105, "HY000",
        `wrong tablet type: ${tabletTypeName(target.tabletType)}, want: ${tabletTypeName(s.tabletType)}`, "FAILED_PRECONDITION");
    }
  }

  private checkSize(r: Result): Result {
    const max = this.opts.maxResultSize;
    if (max > 0 && r.rows.length > max) {
      throw new SqlError(10001, "HY000", `Row count exceeded ${max}`, "RESOURCE_EXHAUSTED");
    }
    return r;
  }
}

/** What a watched statement's failure means to its caller: cancelled (1317), past its deadline (3024), or itself. */
function watchedFailure(e: unknown, w: WatchedQuery, cancel: CallCancel | undefined): unknown {
  return cancel?.aborted === true ? interruptedError() : w.expired ? queryTimeoutError() : e;
}

/** 1317/70100: the caller cancelled the call and the statement was killed. */
function interruptedError(): SqlError {
  return new SqlError(1317, "70100", "Query execution was interrupted", "CANCELED");
}
