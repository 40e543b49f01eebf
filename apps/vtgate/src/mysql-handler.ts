import { SqlError } from "@vt/errors";
import { Capability, type Handler, type MysqlConnection, type PrepareResult, type PreparedStatement, type ResultSink } from "@vt/mysql-protocol";
import type { Field, Result, Value } from "@vt/sqltypes";
import { isResultStream, type Executor, type ResultStream } from "./executor.js";
import { Session } from "./session.js";
import { SessionRegistry } from "./session-registry.js";
import { splitStatements } from "./split-statements.js";
import { substituteParams } from "./substitute-params.js";

export { substituteParams };

/**
 * Connects the MySQL protocol server to the executor: one Session per connection (in `conn.state`, registered by
 * connection id for KILL), one result per statement of a multi-statement COM_QUERY, status flags kept in step with
 * the session, streamed results written at the client's pace (ResultSink.rows backpressure), and prepared
 * statements executed by substituting their parameters as literals (the plan cache then sees the normalized text).
 */
export class VtgateHandler implements Handler {
  constructor(
    private readonly executor: Executor, private readonly log: (msg: string) => void,
    readonly sessions: SessionRegistry = new SessionRegistry(),
  ) {}

  newConnection(conn: MysqlConnection): void {
    this.attach(conn, new Session());
  }

  connectionClosed(conn: MysqlConnection): void {
    this.sessions.remove(conn.id);
    const s = conn.state as Session | undefined;
    if (!(s instanceof Session)) return;
    s.running?.abort(new SqlError(1317, "70100", "Query execution was interrupted: connection closed", "CANCELED"));
    if (s.shardSessions.length > 0) void this.executor.rollback(s).catch(() => undefined);
  }

  comQuery(conn: MysqlConnection, sql: string, out: ResultSink): Promise<void> {
    const s = this.session(conn);
    const pieces = splitStatements(sql);
    if (pieces.length === 1) return this.comQueryOne(conn, s, pieces[0]!, out);
    return this.comQueryMulti(conn, s, pieces, out);
  }

  /**
   * One statement (the hot path): no async frame of its own. The result is written from the callback the executor
   * calls (for a point query, straight from the tablet call's reaction), and the returned promise settles right
   * after. Same outcome as comQueryMulti with one piece.
   */
  private comQueryOne(conn: MysqlConnection, s: Session, sql: string, out: ResultSink): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // As comQueryMulti's catch: the error goes to the client unless it left; if that fails, the command fails.
      const failed = (e: unknown): void => {
        try {
          this.syncFlags(conn, s);
          if (!out.closed) out.error(SqlError.from(e));
        } catch (e2) {
          reject(e2 as Error);
          return;
        }
        resolve();
      };
      this.executor.runWith(s, sql, true, (r) => {
        try {
          this.syncFlags(conn, s);
          if (isResultStream(r)) {
            this.send(s, r, out, false).catch(failed).finally(resolve);
            return;
          }
          this.sendWhole(s, r, out, false);
        } catch (e) {
          failed(e);
          return;
        }
        resolve();
      }, failed);
    });
  }

  private async comQueryMulti(conn: MysqlConnection, s: Session, pieces: readonly string[], out: ResultSink): Promise<void> {
    if (pieces.length > 1 && !conn.multiStatements) {
      out.error(new SqlError(1064, "42000", "You have an error in your SQL syntax; multi-statement text needs CLIENT_MULTI_STATEMENTS", "INVALID_ARGUMENT"));
      return;
    }
    for (let i = 0; i < pieces.length; i++) {
      try {
        const r = await this.executor.run(s, pieces[i]!, true);
        this.syncFlags(conn, s);
        await this.send(s, r, out, i < pieces.length - 1);
      } catch (e) {
        this.syncFlags(conn, s);
        if (out.closed) return;
        out.error(SqlError.from(e));
        return;
      }
    }
  }

  comInitDb(conn: MysqlConnection, schema: string): void {
    this.executor.use(this.session(conn), schema);
  }

  /**
   * COM_FIELD_LIST: the table's column definitions, found by running the field query `select * from t where 1 != 1`
   * against the session keyspace; `wildcard` is a LIKE pattern on column names (empty = all). Unknown table → 1146.
   */
  async comFieldList(conn: MysqlConnection, table: string, wildcard: string): Promise<readonly Field[]> {
    const s = this.session(conn);
    const r = await this.executor.run(s, `select * from \`${table.replace(/`/g, "``")}\` where 1 != 1`, false);
    this.syncFlags(conn, s);
    if (isResultStream(r)) throw new SqlError(1105, "HY000", "field list: unexpected streamed result", "INTERNAL");
    if (wildcard === "") return r.fields;
    const re = likeToRegExp(wildcard);
    return r.fields.filter((f) => re.test(f.name));
  }

  async comResetConnection(conn: MysqlConnection): Promise<void> {
    const s = this.session(conn);
    await this.executor.rollback(s);
    const fresh = new Session();
    fresh.target = s.target;
    this.attach(conn, fresh);
    this.syncFlags(conn, fresh);
  }

  async comPrepare(conn: MysqlConnection, sql: string): Promise<PrepareResult> {
    return this.executor.prepare(this.session(conn), sql);
  }

  async comStmtExecute(conn: MysqlConnection, stmt: PreparedStatement, params: Value[], out: ResultSink): Promise<void> {
    if (params.length !== stmt.paramCount) {
      throw new SqlError(1210, "HY000", "Incorrect arguments to mysqld_stmt_execute", "INVALID_ARGUMENT");
    }
    const s = this.session(conn);
    try {
      const r = await this.executor.run(s, substituteParams(stmt.sql, params), true);
      this.syncFlags(conn, s);
      await this.send(s, r, out, false);
    } catch (e) {
      this.syncFlags(conn, s);
      throw SqlError.from(e);
    }
  }

  /**
   * Writes a whole result. Its rows are already in memory, so done() follows rows() at once; a flush the rows started
   * is waited for by the server after the command (drain), and a client that went away is noticed there too.
   */
  private sendWhole(s: Session, r: Result, out: ResultSink, moreResults: boolean): void {
    if (r.fields.length > 0) {
      out.fields(r.fields);
      if (r.rows.length > 0) out.rows(r.rows).catch(ignore);
    }
    out.done({ rowsAffected: r.rowsAffected, insertId: r.insertId, info: r.info, warnings: Math.max(r.warnings ?? 0, s.warnings.length), moreResults });
  }

  /** Writes one statement's outcome: a whole result, or a stream forwarded message by message. */
  private async send(s: Session, r: Result | ResultStream, out: ResultSink, moreResults: boolean): Promise<void> {
    if (!isResultStream(r)) {
      if (r.fields.length > 0) {
        out.fields(r.fields);
        if (r.rows.length > 0) await out.rows(r.rows);
      }
      out.done({ rowsAffected: r.rowsAffected, insertId: r.insertId, info: r.info, warnings: Math.max(r.warnings ?? 0, s.warnings.length), moreResults });
      return;
    }
    let started = false;
    for await (const part of r.stream) {
      if (!started && part.fields.length > 0) {
        out.fields(part.fields);
        started = true;
      }
      if (started && part.rows.length > 0) await out.rows(part.rows);
    }
    out.done({ warnings: s.warnings.length, moreResults });
  }

  private attach(conn: MysqlConnection, s: Session): void {
    s.connectionId = conn.id;
    s.clientFoundRows = (conn.capabilities & Capability.FOUND_ROWS) !== 0;
    conn.state = s;
    this.sessions.add(conn.id, {
      session: s,
      kill: () => {
        s.running?.abort(new SqlError(1317, "70100", "Query execution was interrupted", "CANCELED"));
        conn.close();
      },
    });
  }

  private session(conn: MysqlConnection): Session {
    if (!(conn.state instanceof Session)) this.attach(conn, new Session());
    return conn.state as Session;
  }

  private syncFlags(conn: MysqlConnection, s: Session): void {
    conn.inTransaction = s.inTransaction;
    conn.autocommit = s.autocommit;
    conn.schema = s.target.keyspace;
  }
}

const ignore = (): void => undefined;

/** Turns a MySQL LIKE pattern (`%`, `_`, backslash escapes) into a case-insensitive anchored RegExp. */
function likeToRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) out += escapeRe(pattern[++i]!);
    else if (ch === "%") out += "[\\s\\S]*";
    else if (ch === "_") out += "[\\s\\S]";
    else out += escapeRe(ch);
  }
  return new RegExp(`^${out}$`, "i");
}

function escapeRe(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
