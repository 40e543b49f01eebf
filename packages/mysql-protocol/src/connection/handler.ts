import type { SqlError } from "@vt/errors";
import type { Field, Result, Row, Value } from "@vt/sqltypes";
import type { MysqlConnection } from "./mysql-connection.js";

/** How a result (or one of several in a multi-result response) ends. */
export interface ResultSummary {
  rowsAffected?: bigint | number;
  insertId?: bigint | number;
  info?: string;
  warnings?: number;
  /** True when another result follows (SERVER_MORE_RESULTS_EXISTS). */
  moreResults?: boolean;
}

/**
 * Where a handler writes the response to one command. Call order per result: optionally `fields` then any
 * number of `rows`, then `done`; or `error` at any point (it ends the response). After `done({moreResults:
 * true})` the next result may start. Anything left open when the handler returns is closed by the server
 * (an unfinished result gets `done()`, a response with nothing in it becomes an OK packet).
 */
export interface ResultSink {
  /** Starts a result set. An empty array starts nothing (the result is then an OK packet). */
  fields(fields: readonly Field[]): void;
  /**
   * Appends rows (text-protocol bytes per column, null for NULL). Resolves at once unless the socket's buffer
   * is full, in which case it resolves when the client has drained enough (backpressure). Rejects with
   * SqlError 1317 if the client went away, so a streaming handler stops.
   */
  rows(rows: readonly Row[]): Promise<void>;
  /** Ends the current result (EOF/OK with the connection's status flags). */
  done(summary?: ResultSummary): void;
  /** Sends an ERR packet with the error's errno and SQLSTATE; ends the response. */
  error(err: SqlError): void;
  /** fields + rows + done for a complete Result. */
  sendResult(r: Result, moreResults?: boolean): Promise<void>;
  /** True once the client has disconnected. */
  readonly closed: boolean;
}

/** What a handler reports for COM_STMT_PREPARE. */
export interface PrepareResult {
  paramCount: number;
  /** Result columns, or [] for statements that return no rows (or when unknown). */
  fields: readonly Field[];
  /** Parameter field definitions; defaults to paramCount VAR_STRING placeholders. */
  paramFields?: readonly Field[];
}

/** A prepared statement as the handler sees it at COM_STMT_EXECUTE. */
export interface PreparedStatement {
  readonly id: number;
  readonly sql: string;
  readonly paramCount: number;
  readonly fields: readonly Field[];
  /** Handler-owned slot (e.g. a cached plan). */
  state: unknown;
}

/**
 * What vtgate implements to serve MySQL clients. Every method may throw (or reject with) a SqlError, which the
 * server sends as an ERR packet with its errno/SQLSTATE; other errors become 1105/HY000. The connection stays
 * usable afterwards except where noted. Commands of one connection never overlap.
 */
export interface Handler {
  /** After successful authentication, before the schema from the handshake is applied. */
  newConnection?(conn: MysqlConnection): void;
  /** Once, when a connection that got newConnection closes for any reason. */
  connectionClosed?(conn: MysqlConnection): void;
  /**
   * COM_QUERY. The full text is given as sent (multi-statement text is not split); emit one result per
   * statement with moreResults on all but the last.
   */
  comQuery(conn: MysqlConnection, sql: string, out: ResultSink): Promise<void>;
  /** COM_INIT_DB and the handshake's database. Throw SqlError 1049 for an unknown database. On success the
   * server sets conn.schema. */
  comInitDb?(conn: MysqlConnection, schema: string): Promise<void> | void;
  /** COM_FIELD_LIST (deprecated); default: an empty column list. */
  comFieldList?(conn: MysqlConnection, table: string, wildcard: string): Promise<readonly Field[]> | readonly Field[];
  /** COM_SET_OPTION; the server has already toggled MULTI_STATEMENTS in conn.capabilities. */
  comSetOption?(conn: MysqlConnection, multiStatements: boolean): void;
  /** COM_RESET_CONNECTION: drop session state (transactions, variables, prepared statements are cleared by the server). */
  comResetConnection?(conn: MysqlConnection): Promise<void> | void;
  /** COM_PING; throw to report unhealthy. */
  comPing?(conn: MysqlConnection): Promise<void> | void;
  /** COM_STMT_PREPARE. Without it the server answers 1047 (unknown command). */
  comPrepare?(conn: MysqlConnection, sql: string): Promise<PrepareResult> | PrepareResult;
  /** COM_STMT_EXECUTE with decoded parameters; rows written to `out` go out in the binary protocol. */
  comStmtExecute?(conn: MysqlConnection, stmt: PreparedStatement, params: Value[], out: ResultSink): Promise<void>;
  /** COM_STMT_CLOSE (and statements dropped by COM_RESET_CONNECTION / disconnect). */
  comStmtClose?(conn: MysqlConnection, stmt: PreparedStatement): void;
}
