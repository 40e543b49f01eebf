import { SqlError } from "@vt/errors";
import { makeField, Type, type Field, type Row, type Value } from "@vt/sqltypes";
import type { Handler, PrepareResult, PreparedStatement, ResultSink } from "../connection/handler.js";
import type { MysqlConnection } from "../connection/mysql-connection.js";

const enc = (s: string): Uint8Array => Buffer.from(s, "utf8");

/** Fields of the canned "select * from t" result: every common type. */
export const cannedFields: Field[] = [
  makeField("id", Type.INT64, { flags: 1 | 2, columnLength: 20 }),
  makeField("name", Type.VARCHAR, { columnLength: 255 * 4, table: "t", orgTable: "t", database: "db" }),
  makeField("u", Type.UINT32),
  makeField("d", Type.DECIMAL, { decimals: 2, columnLength: 12 }),
  makeField("f", Type.FLOAT64),
  makeField("dt", Type.DATETIME),
  makeField("day", Type.DATE),
  makeField("tm", Type.TIME),
  makeField("b", Type.BLOB),
  makeField("n", Type.INT32),
];

/** Rows matching cannedFields. */
export const cannedRows: Row[] = [
  [enc("1"), enc("alice"), enc("4000000000"), enc("12.50"), enc("1.5"), enc("2024-01-02 03:04:05"), enc("2024-01-02"), enc("-01:02:03"), enc("\x00\x01"), null],
  [enc("-2"), enc("bob ☃"), enc("0"), enc("-0.01"), enc("-2.25e10"), enc("1999-12-31 23:59:59.123456"), enc("1999-12-31"), enc("100:00:00"), enc(""), enc("7")],
];

/**
 * A tiny Handler answering canned results, used by this package's tests (and handy for manual runs):
 * "select 1", "select * from t", "select rows N", "error", "multi", "begin"/"commit", "sleep", "fatal".
 */
export class CannedHandler implements Handler {
  readonly events: string[] = [];
  /** Rows handed to the sink by "select rows N" so far (to observe backpressure). */
  rowsProduced = 0;

  newConnection(conn: MysqlConnection): void {
    this.events.push(`new ${conn.id} ${conn.user}`);
    conn.state = { queries: 0 };
  }

  connectionClosed(conn: MysqlConnection): void {
    this.events.push(`closed ${conn.id}`);
  }

  comInitDb(_conn: MysqlConnection, schema: string): void {
    if (schema === "nosuch") throw new SqlError(1049, "42000", `Unknown database '${schema}'`, "NOT_FOUND");
  }

  async comQuery(conn: MysqlConnection, sql: string, out: ResultSink): Promise<void> {
    const q = sql.trim().toLowerCase();
    if (q === "select 1") return out.sendResult({ fields: [makeField("1", Type.INT64)], rows: [[enc("1")]], rowsAffected: 0n, insertId: 0n, info: "" });
    if (q === "select * from t") return out.sendResult({ fields: cannedFields, rows: cannedRows, rowsAffected: 0n, insertId: 0n, info: "" });
    if (q === "select database()") return out.sendResult({ fields: [makeField("database()", Type.VARCHAR)], rows: [[conn.schema ? enc(conn.schema) : null]], rowsAffected: 0n, insertId: 0n, info: "" });
    if (q.startsWith("select rows ")) return this.streamRows(out, Number(q.slice(12)));
    if (q.startsWith("select big ")) {
      const big = Buffer.alloc(Number(q.slice(11)), 0x61);
      return out.sendResult({ fields: [makeField("big", Type.BLOB)], rows: [[big]], rowsAffected: 0n, insertId: 0n, info: "" });
    }
    if (q.startsWith("select len ")) {
      const n = Buffer.byteLength(sql, "utf8");
      return out.sendResult({ fields: [makeField("len", Type.INT64)], rows: [[enc(String(n))]], rowsAffected: 0n, insertId: 0n, info: "" });
    }
    if (q === "error") throw new SqlError(1146, "42S02", "Table 'db.nosuch' doesn't exist", "NOT_FOUND");
    if (q === "crash") throw new Error("boom");
    if (q.startsWith("insert")) {
      out.done({ rowsAffected: 3, insertId: 77, warnings: 1, info: "Records: 3" });
      return;
    }
    if (q === "begin") {
      conn.inTransaction = true;
      out.done();
      return;
    }
    if (q === "commit") {
      conn.inTransaction = false;
      out.done();
      return;
    }
    if (q === "fatal") {
      conn.close();
      return;
    }
    if (q.includes(";")) {
      const parts = q.split(";").map((s) => s.trim()).filter((s) => s !== "");
      for (let i = 0; i < parts.length; i++) {
        const more = i < parts.length - 1;
        const p = parts[i] as string;
        if (p.startsWith("select ")) {
          const v = p.slice(7);
          await out.sendResult({ fields: [makeField(v, Type.INT64)], rows: [[enc(v)]], rowsAffected: 0n, insertId: 0n, info: "" }, more);
        } else {
          out.done({ rowsAffected: 1, moreResults: more });
        }
      }
      return;
    }
    throw new SqlError(1064, "42000", `You have an error in your SQL syntax near '${sql}'`, "INVALID_ARGUMENT");
  }

  private async streamRows(out: ResultSink, n: number): Promise<void> {
    out.fields([makeField("i", Type.INT64), makeField("pad", Type.VARCHAR)]);
    const pad = enc("x".repeat(100));
    const batch: Row[] = [];
    for (let i = 0; i < n; i++) {
      batch.push([enc(String(i)), pad]);
      this.rowsProduced++;
      if (batch.length === 100) {
        await out.rows(batch);
        batch.length = 0;
      }
    }
    if (batch.length > 0) await out.rows(batch);
    out.done();
  }

  comPrepare(_conn: MysqlConnection, sql: string): PrepareResult {
    const paramCount = (sql.match(/\?/g) ?? []).length;
    if (/^\s*select\s+\*\s+from\s+t\b/i.test(sql)) return { paramCount, fields: cannedFields };
    if (/^\s*select/i.test(sql)) {
      return { paramCount, fields: Array.from({ length: paramCount }, (_, i) => makeField(`p${i}`, Type.VARCHAR)) };
    }
    if (/^\s*error/i.test(sql)) throw new SqlError(1146, "42S02", "Table 'db.nosuch' doesn't exist", "NOT_FOUND");
    return { paramCount, fields: [] };
  }

  async comStmtExecute(_conn: MysqlConnection, stmt: PreparedStatement, params: Value[], out: ResultSink): Promise<void> {
    this.events.push(`execute ${stmt.id} ${params.map((p) => (p.raw === null ? "NULL" : `${p.type}:${Buffer.from(p.raw).toString()}`)).join(",")}`);
    if (/^\s*select\s+\*\s+from\s+t\b/i.test(stmt.sql)) {
      return out.sendResult({ fields: cannedFields, rows: cannedRows, rowsAffected: 0n, insertId: 0n, info: "" });
    }
    if (stmt.fields.length > 0) {
      return out.sendResult({ fields: [...stmt.fields], rows: [params.map((p) => p.raw)], rowsAffected: 0n, insertId: 0n, info: "" });
    }
    out.done({ rowsAffected: 1, insertId: 5 });
  }
}
