import type { MessageInitShape } from "@bufbuild/protobuf";
import type { SqlError } from "@vt/errors";
import type { ExecuteOptionsSchema, StreamHealthResponse } from "@vt/proto/query";
import type { BindVariable, Result } from "@vt/sqltypes";

/** Which keyspace/shard/tablet type a call is meant for; the tablet rejects a mismatch (FAILED_PRECONDITION). */
export interface Target {
  keyspace: string;
  shard: string;
  /** topodata.TabletType number (1 PRIMARY, 2 REPLICA, 3 RDONLY); 0 = any. */
  tabletType: number;
  cell?: string;
}

/** query.ExecuteOptions (workload, isolation, ...), in protobuf-es init form. */
export type ExecuteOptions = MessageInitShape<typeof ExecuteOptionsSchema>;

/** A tablet's alias. */
export interface TabletAlias {
  cell: string;
  uid: number;
}

/** BeginExecute's answer: the transaction exists even when the query failed (then `error` is set). */
export interface BeginExecuteResult {
  transactionId: bigint;
  tabletAlias?: TabletAlias;
  result?: Result;
  error?: SqlError;
}

/** A distributed (2PC) transaction's record on its metadata manager (query.TransactionMetadata). */
export interface TransactionMetadata {
  dtid: string;
  /** query.TransactionState: 1 PREPARE, 2 ROLLBACK, 3 COMMIT. */
  state: number;
  /** Unix nanoseconds. */
  timeCreated: bigint;
  participants: Target[];
}

/**
 * What vtgate needs from one tablet (Vitess's queryservice.QueryService, trimmed). Every method rejects with a SqlError
 * carrying MariaDB's errno/SQLSTATE for query errors, and vtCode UNAVAILABLE when the tablet cannot be reached.
 */
export interface QueryService {
  /**
   * Runs one query (in transaction `transactionId` when non-zero). When `signal` aborts, the call is cancelled (the
   * tablet kills the MariaDB statement) and rejects with the signal's reason, where the transport supports it.
   */
  execute(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>, transactionId: bigint,
    options?: ExecuteOptions, signal?: AbortSignal): Promise<Result>;
  /**
   * execute() outside a transaction and without options, in callback form (vtgate's point-query path; no promise):
   * exactly one of `ok` / `fail` is called, possibly before executeWith returns. They must not throw.
   */
  executeWith?(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>, signal: AbortSignal | undefined,
    ok: (r: Result) => void, fail: (e: SqlError) => void): void;
  /** Streams a query: a first Result with the fields, then Results with rows. Breaking out cancels the call. */
  streamExecute(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>, transactionId: bigint,
    options?: ExecuteOptions): AsyncIterable<Result>;
  /** Opens a transaction. */
  begin(target: Target, options?: ExecuteOptions): Promise<{ transactionId: bigint; tabletAlias?: TabletAlias }>;
  /** Commits. */
  commit(target: Target, transactionId: bigint): Promise<void>;
  /** Rolls back. */
  rollback(target: Target, transactionId: bigint): Promise<void>;
  /** Begin and Execute in one round trip; `preQueries` run in the new transaction first (savepoint replay). */
  beginExecute(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>,
    options?: ExecuteOptions, preQueries?: readonly string[]): Promise<BeginExecuteResult>;
  /** 2PC participant: prepares open transaction `transactionId` as distributed transaction `dtid`. */
  prepare(target: Target, transactionId: bigint, dtid: string): Promise<void>;
  /** 2PC participant: commits prepared `dtid`. */
  commitPrepared(target: Target, dtid: string): Promise<void>;
  /** 2PC participant: rolls back prepared `dtid` (or transaction `transactionId` if it never got prepared). */
  rollbackPrepared(target: Target, dtid: string, transactionId: bigint): Promise<void>;
  /** 2PC metadata manager: records `dtid` (state PREPARE) and its other participants. */
  createTransaction(target: Target, dtid: string, participants: readonly Target[]): Promise<void>;
  /** 2PC metadata manager: marks `dtid` COMMIT and commits its own transaction `transactionId`, atomically. */
  startCommit(target: Target, transactionId: bigint, dtid: string): Promise<void>;
  /** 2PC metadata manager: marks `dtid` ROLLBACK and rolls back `transactionId` (0: none). */
  setRollback(target: Target, dtid: string, transactionId: bigint): Promise<void>;
  /** 2PC metadata manager: forgets `dtid`. */
  concludeTransaction(target: Target, dtid: string): Promise<void>;
  /** 2PC metadata manager: the record of `dtid` (undefined when unknown). */
  readTransaction(target: Target, dtid: string): Promise<TransactionMetadata | undefined>;
  /** 2PC metadata manager: transactions older than `abandonAgeSeconds` (0: the tablet's --twopc_abandon_age). */
  unresolvedTransactions(target: Target, abandonAgeSeconds?: number): Promise<TransactionMetadata[]>;
  /** Health reports until the iteration is stopped or the tablet goes away (then it throws UNAVAILABLE). */
  streamHealth(): AsyncIterable<StreamHealthResponse>;
  /**
   * GetSchema of base tables (vtgate's schema tracking): table name → CREATE TABLE text for `tableNames` (all tables
   * when empty); tables that do not exist are absent. Optional: services without it cannot be tracked.
   */
  getSchema?(target: Target, tableNames: readonly string[]): Promise<Record<string, string>>;
  /** Releases the connection; later calls fail. */
  close(): void;
}
