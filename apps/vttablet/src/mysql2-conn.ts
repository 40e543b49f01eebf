import mysql from "mysql2";
import { SqlError } from "@vt/errors";
import { typeFromMySQL, type Field, type Result, type Row } from "@vt/sqltypes";
import type { DbConn, DbConnFactory } from "./db-conn.js";

/** Where and how to connect to the tablet's MariaDB. */
export interface MysqlParams {
  host?: string;
  port?: number;
  socketPath?: string;
  user: string;
  password: string;
  /** Default database for new connections (omit for DBA connections that may run before it exists). */
  database?: string;
  /** Keep CLIENT_FOUND_ROWS (rows matched instead of rows changed). Default false, as Vitess's main pools. */
  foundRows?: boolean;
}

/** The subset of mysql2's ColumnDefinition we read. */
interface ColumnDef {
  name: string; orgName: string; table: string; orgTable: string; schema: string;
  characterSet: number; columnLength: number; columnType: number; flags: number; decimals: number;
}

interface OkHeader { affectedRows: number | string; insertId: number | string; info?: string; warningStatus?: number; serverStatus?: number }

const rawCast = (field: { buffer(): Buffer | null }): Buffer | null => field.buffer();

/** Converts mysql2 column metadata to a sqltypes Field, keeping everything a faithful relay needs. */
export function fieldFromColumn(c: ColumnDef): Field {
  return {
    name: c.name, type: typeFromMySQL(c.columnType, c.flags, c.characterSet), table: c.table, orgTable: c.orgTable,
    database: c.schema, orgName: c.orgName, columnLength: c.columnLength >>> 0, charset: c.characterSet,
    decimals: c.decimals, flags: c.flags, columnType: "",
  };
}

function okResult(h: OkHeader): Result {
  return {
    fields: [], rows: [], rowsAffected: BigInt(h.affectedRows ?? 0), insertId: BigInt(h.insertId ?? 0),
    info: h.info ?? "", warnings: h.warningStatus ?? 0, statusFlags: h.serverStatus ?? 0,
  };
}

const rowsResult = (rows: Row[], cols: ColumnDef[]): Result =>
  ({ fields: cols.map(fieldFromColumn), rows, rowsAffected: 0n, insertId: 0n, info: "" });

const isMulti = (fields: unknown): fields is (ColumnDef[] | undefined)[] =>
  Array.isArray(fields) && (fields.length === 0 || fields[0] === undefined || Array.isArray(fields[0]));

/** Splits mysql2's callback values (single or multi-statement shapes) into one Result per statement. */
function toResults(rows: unknown, fields: unknown): Result[] {
  if (!isMulti(fields)) {
    return fields === undefined ? [okResult(rows as OkHeader)] : [rowsResult(rows as Row[], fields as ColumnDef[])];
  }
  const all = rows as unknown[];
  return fields.map((f, i) => (f === undefined ? okResult(all[i] as OkHeader) : rowsResult(all[i] as Row[], f)));
}

/** mysql2 error → SqlError keeping errno/SQLSTATE; connection errors (no errno) become 2013 UNAVAILABLE. */
export function mysqlError(e: unknown): SqlError {
  const err = e as Error & { errno?: number; sqlState?: string; code?: string; fatal?: boolean };
  if (typeof err.errno === "number" && typeof err.sqlState === "string" && err.sqlState !== "") {
    return new SqlError(err.errno, err.sqlState, err.message, err.fatal ? "UNAVAILABLE" : "UNKNOWN", { cause: e });
  }
  const msg = err?.message ?? String(e);
  if (err?.code === "ECONNREFUSED" || err?.code === "ENOENT") {
    return new SqlError(2003, "HY000", `Can't connect to MySQL server: ${msg}`, "UNAVAILABLE", { cause: e });
  }
  return new SqlError(2013, "HY000", `Lost connection to MySQL server: ${msg}`, "UNAVAILABLE", { cause: e });
}

/** A DbConn over one mysql2 (callback API) connection, reading rows as raw bytes. */
export class Mysql2Conn implements DbConn {
  #closed = false;
  private constructor(private readonly conn: mysql.Connection) {
    conn.on("error", () => { this.#closed = true; });
    conn.on("end", () => { this.#closed = true; });
  }

  /** Connects; throws SqlError (2003, 1045, 1049, ...) on failure. */
  static connect(p: MysqlParams): Promise<Mysql2Conn> {
    const conn = mysql.createConnection({
      host: p.host, port: p.port, socketPath: p.socketPath, user: p.user, password: p.password, database: p.database,
      multipleStatements: true, charset: "utf8mb4", supportBigNumbers: true, bigNumberStrings: true,
      flags: p.foundRows ? [] : ["-FOUND_ROWS"],
    });
    return new Promise((resolve, reject) => {
      conn.connect((err) => (err ? (conn.destroy(), reject(mysqlError(err))) : resolve(new Mysql2Conn(conn))));
    });
  }

  get threadId(): number { return this.conn.threadId ?? 0; }
  get closed(): boolean { return this.#closed; }

  query(sql: string): Promise<Result[]> {
    return new Promise((resolve, reject) => {
      this.conn.query({ sql, rowsAsArray: true, typeCast: rawCast as never }, (err, rows, fields) => {
        if (err) {
          if ((err as { fatal?: boolean }).fatal) this.#closed = true;
          reject(mysqlError(err));
        } else resolve(toResults(rows, fields));
      });
    });
  }

  async *stream(sql: string, chunkBytes: number): AsyncIterable<Result> {
    const s = new RowStream(this.conn, chunkBytes, () => this.close());
    this.conn.query({ sql, rowsAsArray: true, typeCast: rawCast as never })
      .on("fields", (f: ColumnDef[] | undefined) => s.onFields(f))
      .on("result", (row: unknown, index: number) => s.onRow(row, index))
      .on("error", (e: Error & { fatal?: boolean }) => { if (e.fatal) this.#closed = true; s.onError(mysqlError(e)); })
      .on("end", () => s.onEnd());
    yield* s.chunks();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.conn.destroy();
  }
}

/** Buffers streamed rows into byte-bounded chunks; pauses the connection while a chunk waits for the consumer. */
class RowStream {
  private fields: Field[] | undefined;
  private rows: Row[] = [];
  private bytes = 0;
  private done = false;
  private error: SqlError | undefined;
  private wake: (() => void) | undefined;
  private abandoned = false;

  constructor(
    private readonly conn: mysql.Connection,
    private readonly chunkBytes: number,
    private readonly abort: () => void,
  ) {}

  onFields(f: ColumnDef[] | undefined): void {
    if (this.fields === undefined && f !== undefined) { this.fields = f.map(fieldFromColumn); this.notify(); }
  }

  onRow(row: unknown, index: number): void {
    if (index !== 0 || this.abandoned || !Array.isArray(row)) return;
    const r = row as Row;
    this.rows.push(r);
    for (const v of r) this.bytes += v === null ? 1 : v.length + 1;
    if (this.bytes >= this.chunkBytes) { this.conn.pause(); this.notify(); }
  }

  onError(e: SqlError): void { this.error = e; this.done = true; this.conn.resume(); this.notify(); }
  onEnd(): void { this.done = true; this.notify(); }

  private notify(): void { const w = this.wake; this.wake = undefined; w?.(); }
  private waitEvent(): Promise<void> { return new Promise((r) => { this.wake = r; }); }

  private take(): Result {
    const out: Result = { fields: [], rows: this.rows, rowsAffected: 0n, insertId: 0n, info: "" };
    this.rows = [];
    this.bytes = 0;
    return out;
  }

  async *chunks(): AsyncIterable<Result> {
    try {
      while (this.fields === undefined && !this.done) await this.waitEvent();
      if (this.error) throw this.error;
      yield { fields: this.fields ?? [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" };
      for (;;) {
        if (this.bytes >= this.chunkBytes || (this.done && this.rows.length > 0)) {
          yield this.take();
          this.conn.resume();
          continue;
        }
        if (this.done) break;
        await this.waitEvent();
      }
      if (this.error) throw this.error;
    } finally {
      if (!this.done) { this.abandoned = true; this.rows = []; this.abort(); }
    }
  }
}

/** A DbConnFactory over mysql2 for the given params (the per-call database overrides params.database). */
export function mysql2ConnFactory(p: MysqlParams): DbConnFactory {
  return async (opts) => Mysql2Conn.connect({ ...p, ...(opts?.database !== undefined ? { database: opts.database } : {}) });
}
