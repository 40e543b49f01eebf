import { SqlError } from "@vt/errors";
import type { Handler, MysqlConnection, PrepareResult, PreparedStatement, ResultSink } from "@vt/mysql-protocol";
import { encodeValueSQL, tokenize } from "@vt/sqlparser";
import type { Value } from "@vt/sqltypes";
import type { Executor } from "./executor.js";
import { Session } from "./session.js";
import { splitStatements } from "./split-statements.js";

/**
 * Connects the MySQL protocol server to the executor: one Session per connection (in `conn.state`), one result per
 * statement of a multi-statement COM_QUERY, status flags kept in step with the session, and prepared statements
 * executed by substituting their parameters as literals (the plan cache then sees the normalized text).
 */
export class VtgateHandler implements Handler {
  constructor(private readonly executor: Executor, private readonly log: (msg: string) => void) {}

  newConnection(conn: MysqlConnection): void {
    conn.state = new Session();
  }

  connectionClosed(conn: MysqlConnection): void {
    const s = conn.state as Session | undefined;
    if (s && s.shardSessions.length > 0) void this.executor.rollback(s).catch(() => undefined);
  }

  async comQuery(conn: MysqlConnection, sql: string, out: ResultSink): Promise<void> {
    const s = this.session(conn);
    const pieces = splitStatements(sql);
    if (pieces.length > 1 && !conn.multiStatements) {
      out.error(new SqlError(1064, "42000", "You have an error in your SQL syntax; multi-statement text needs CLIENT_MULTI_STATEMENTS", "INVALID_ARGUMENT"));
      return;
    }
    for (let i = 0; i < pieces.length; i++) {
      try {
        const r = await this.executor.execute(s, pieces[i]!);
        this.syncFlags(conn, s);
        await out.sendResult(r, i < pieces.length - 1);
      } catch (e) {
        this.syncFlags(conn, s);
        out.error(SqlError.from(e));
        return;
      }
    }
  }

  comInitDb(conn: MysqlConnection, schema: string): void {
    this.executor.use(this.session(conn), schema);
  }

  async comResetConnection(conn: MysqlConnection): Promise<void> {
    const s = this.session(conn);
    await this.executor.rollback(s);
    const fresh = new Session();
    fresh.target = s.target;
    conn.state = fresh;
    this.syncFlags(conn, fresh);
  }

  comPrepare(_conn: MysqlConnection, sql: string): PrepareResult {
    const paramCount = tokenize(sql).filter((t) => t.type === "question").length;
    return { paramCount, fields: [] };
  }

  async comStmtExecute(conn: MysqlConnection, stmt: PreparedStatement, params: Value[], out: ResultSink): Promise<void> {
    if (params.length !== stmt.paramCount) {
      throw new SqlError(1210, "HY000", "Incorrect arguments to mysqld_stmt_execute", "INVALID_ARGUMENT");
    }
    const sql = substituteParams(stmt.sql, params);
    const s = this.session(conn);
    try {
      const r = await this.executor.execute(s, sql);
      this.syncFlags(conn, s);
      await out.sendResult(r);
    } catch (e) {
      this.syncFlags(conn, s);
      throw SqlError.from(e);
    }
  }

  private session(conn: MysqlConnection): Session {
    if (!(conn.state instanceof Session)) conn.state = new Session();
    return conn.state as Session;
  }

  private syncFlags(conn: MysqlConnection, s: Session): void {
    conn.inTransaction = s.inTransaction;
    conn.autocommit = s.autocommit;
    conn.schema = s.target.keyspace;
  }
}

/** Replaces each `?` placeholder (outside strings/comments) with the SQL literal of its parameter. */
export function substituteParams(sql: string, params: readonly Value[]): string {
  let out = "";
  let from = 0;
  let i = 0;
  for (const t of tokenize(sql)) {
    if (t.type !== "question") continue;
    const p = params[i++]!;
    out += sql.slice(from, t.start) + encodeValueSQL(p.type, p.raw);
    from = t.end;
  }
  return out + sql.slice(from);
}
