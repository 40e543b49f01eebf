import type { SqlError } from "@vt/errors";
import type { Destination } from "@vt/key";
import type { BindVariable, Result, Value } from "@vt/sqltypes";
import type { LookupCursor, VSchema } from "@vt/vindexes";

/** Bind variables of one query. */
export type BindVars = Record<string, BindVariable>;

/** A shard a query is sent to. */
export interface ResolvedShard {
  readonly keyspace: string;
  readonly shard: string;
  /** "PRIMARY" | "REPLICA" | "RDONLY". */
  readonly tabletType: string;
}

/** A query with its bind variables. */
export interface BoundQuery { readonly sql: string; readonly bindVars: BindVars }

/** Options for one multi-shard call. */
export interface ExecOpts {
  /** True for INSERT/UPDATE/DELETE: vtgate decides between autocommit and a (multi-shard) transaction. */
  readonly isDML: boolean;
  /** True when a single-shard DML may autocommit (no open transaction needed). */
  readonly canAutocommit: boolean;
  readonly signal?: AbortSignal;
}

/** Per-shard outcome: shard errors keep their MariaDB errno/SQLSTATE. */
export type ShardOutcome = { readonly ok: true; readonly result: Result } | { readonly ok: false; readonly error: SqlError };

/**
 * Role: sends queries to tablets (vtgate's ScatterConn). `queries[i]` goes to `rss[i]`; the call runs them in
 * parallel, inside the session's transaction when there is one, and reports each shard's outcome.
 */
export interface ShardExecutor {
  executeMultiShard(rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): Promise<ShardOutcome[]>;
  /** Streams results (first message carries fields) from each shard, interleaved. Throws on the first shard error. */
  streamMultiShard(rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): AsyncIterable<Result>;
}

/**
 * Role: turns destinations into shards (vtgate implements it from SrvKeyspace with @vt/key's resolveDestination).
 * Returns, for each destination, the shards it covers, in order. Throws SqlError when the keyspace is unknown.
 */
export interface DestinationResolver {
  resolve(keyspace: string, tabletType: string, destinations: readonly Destination[]): Promise<ResolvedShard[][]>;
  /**
   * Optional synchronous form for one destination (the point-query hot path); same answers and errors as
   * `resolve`. The returned array may be shared between calls: callers must not modify it.
   */
  resolveOne?(keyspace: string, tabletType: string, destination: Destination): readonly ResolvedShard[];
}

/** A warning raised while executing (shown by SHOW WARNINGS). */
export interface Warning { readonly code: number; readonly message: string }

/** Role: the session's state that execution reads or changes. */
export interface SessionState {
  inTransaction(): boolean;
  recordWarning(w: Warning): void;
  setLastInsertId(id: bigint): void;
  /** Sets FOUND_ROWS() for SELECT SQL_CALC_FOUND_ROWS (otherwise vtgate counts the rows returned). */
  setFoundRows?(n: bigint): void;
  /** The SQL text a session system variable was SET to (`max_recursive_iterations` → "5"), undefined when unset. */
  systemVariable?(name: string): string | undefined;
  /**
   * Applies one SET assignment. `value` is absent when vtgate could not evaluate the expression (`expr` is its SQL);
   * the session decides (e.g. send `set @@sql_mode = ...` to the shards, or reject).
   */
  setVariable(scope: "user" | "session" | "global", name: string, value: Value | undefined, expr: string): Promise<void> | void;
}

/** What the engine needs from vtgate for one query: the roles above plus the VSchema snapshot of the plan. */
export interface VCursor {
  readonly vschema: VSchema;
  readonly tabletType: string;
  readonly shards: ShardExecutor;
  readonly resolver: DestinationResolver;
  readonly session: SessionState;
  /** Runs lookup-vindex queries; required only for plans using lookup vindexes. */
  readonly lookup?: LookupCursor;
  /**
   * Optional: runs `fn` as one transaction — the session's when one is open, else a statement transaction committed
   * when `fn` succeeds (lookup PRE sessions first, then the shards, then POST) and rolled back when it fails. Used by
   * DML that maintains owned lookup vindexes or moves rows. Without it, `fn` just runs.
   */
  readonly transaction?: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly signal?: AbortSignal;
  /**
   * vtgate's --max_memory_rows: the most rows an in-memory operator (sort, distinct, join, aggregation in vtgate) may
   * hold; more fails with 1203 "in-memory row count exceeded allowed limit". Unbounded when absent.
   */
  readonly maxMemoryRows?: number;
}
