import type { Result } from "@vt/sqltypes";

/**
 * One MariaDB connection as the tablet's pools see it. Implemented over mysql2 by {@link Mysql2Conn}; tests may fake it.
 * Errors are SqlErrors carrying MariaDB's errno/SQLSTATE; a fatal (connection-level) error leaves `closed` true.
 */
export interface DbConn {
  /** MariaDB connection (thread) id, for KILL. */
  readonly threadId: number;
  /** True once the connection broke or was closed; pools drop such connections. */
  readonly closed: boolean;
  /**
   * Runs SQL (possibly several statements) and returns one Result per statement, rows as raw text-protocol bytes.
   * On a connection that `pipelines`, a query sent while others are in flight waits behind them on MariaDB;
   * `start.onStart()` is called when MariaDB starts on it (at once when nothing was in flight).
   */
  query(sql: string, start?: { onStart(): void }): Promise<Result[]>;
  /** True when query() may be called while other queries are in flight (they are answered in order). */
  readonly pipelines?: boolean;
  /** Queries sent and not answered yet (pipelining connections). */
  readonly pending?: number;
  /**
   * Streams the first result set of `sql`: first a Result with fields and no rows, then Results holding rows,
   * each about `chunkBytes` of row data. Reading from MariaDB pauses while the consumer is not pulling
   * (backpressure). Breaking out of the loop early closes the connection (cheaper than draining a big result).
   */
  stream(sql: string, chunkBytes: number): AsyncIterable<Result>;
  /** Closes the connection (idempotent). */
  close(): void;
}

/** Opens a new connection. Throws SqlError (e.g. 2003 cannot connect) on failure. */
export type DbConnFactory = (opts?: { database?: string }) => Promise<DbConn>;
