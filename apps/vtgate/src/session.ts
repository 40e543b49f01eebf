import type { Value } from "@vt/sqltypes";
import { parseTarget, type Target } from "./target.js";

/** One shard's open transaction within a session (Vitess's ShardSession). */
export interface ShardSession {
  readonly keyspace: string;
  readonly shard: string;
  readonly tabletType: number;
  readonly tabletAlias: string;
  readonly transactionId: bigint;
  /** Set once anything but a SELECT ran in this shard transaction (a transaction that only read commits its shards in parallel). */
  wrote?: boolean;
}

/**
 * Per-connection vtgate session (Vitess's SafeSession): the target, transaction state and shard sessions,
 * variables, and the values functions like LAST_INSERT_ID()/ROW_COUNT()/FOUND_ROWS() report.
 */
export class Session {
  target: Target;
  autocommit = true;
  /** An explicit transaction is open (BEGIN seen); shard transactions open lazily on first use. */
  inTransaction = false;
  shardSessions: ShardSession[] = [];
  readonly userVars = new Map<string, Value>();
  /** Session system variables set by the client (name lower-cased → SQL text of the value). */
  readonly systemVars = new Map<string, string>();
  lastInsertId = 0n;
  rowCount = -1n;
  foundRows = 0n;
  warnings: { level: string; code: number; message: string }[] = [];
  /** SET transaction_mode; undefined: vtgate's --transaction_mode. */
  transactionMode: "SINGLE" | "MULTI" | "TWOPC" | undefined = undefined;
  /** Savepoint statements of the open transaction, replayed on shards that join it later (tx-conn.ts). */
  savepoints: string[] = [];
  /** query.ExecuteOptions.TransactionAccessMode values of the open transaction (START TRANSACTION READ ONLY, ...). */
  txAccessModes: number[] = [];
  /** SET TRANSACTION ... without a scope: characteristics of the next transaction only (cleared when it ends). */
  nextTx: { readonly isolation?: string; readonly readOnly?: boolean } | undefined = undefined;
  /**
   * The client negotiated CLIENT_FOUND_ROWS (mysql2 and libmysqlclient-based drivers often do): an UPDATE reports
   * rows matched instead of rows changed, so vtgate asks the tablets for the same (ExecuteOptions.client_found_rows).
   */
  clientFoundRows = false;
  /** The MySQL connection id (CONNECTION_ID(), KILL); 0 for internal sessions. */
  connectionId = 0;
  /** SQL-level prepared statements (PREPARE name FROM ...), by lower-cased name. */
  readonly sqlPrepared = new Map<string, string>();
  /** `SET workload = olap` streams every SELECT. */
  workload: "OLTP" | "OLAP" | "DBA" = "OLTP";
  /** SET TRANSACTION ISOLATION LEVEL (session scope), reported back by @@transaction_isolation. */
  txIsolation = "REPEATABLE-READ";
  /** Cancels the statement running now (KILL QUERY, query timeout); replaced per statement. */
  running: AbortController | null = null;

  constructor(targetText = "") {
    this.target = parseTarget(targetText);
  }

  /** The shard session for a target, if a transaction is open there. */
  findShardSession(keyspace: string, shard: string, tabletType: number): ShardSession | undefined {
    return this.shardSessions.find((s) => s.keyspace === keyspace && s.shard === shard && s.tabletType === tabletType);
  }

  /** Forgets all transaction state (after COMMIT/ROLLBACK or a connection reset). */
  resetTransaction(): void {
    this.inTransaction = false;
    this.shardSessions = [];
    this.savepoints = [];
    this.txAccessModes = [];
    this.nextTx = undefined;
  }
}
