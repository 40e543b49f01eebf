import { EventEmitter } from "node:events";
import type { DbConn } from "./db-conn.js";
import { quoteIdent, quoteString, rowsAsObjects } from "./result-rows.js";

/** Where the schema engine reads MariaDB: per table a signature of its columns, and CREATE TABLE texts. */
export interface SchemaSource {
  /** Table name → signature (column names and types in ordinal order); base tables only. */
  signatures(): Promise<Map<string, string>>;
  /** Table name → CREATE TABLE text for `names` (all base tables when empty); unknown names are left out. */
  definitions(names: readonly string[]): Promise<Map<string, string>>;
}

/**
 * The tablet's schema engine (Vitess's schema.Engine, reduced to what schema tracking needs): it remembers each
 * table's column signature and, on reload, emits `changed` with the names of tables created, altered or dropped
 * since the previous load. Reloads run after DDL through the query service, after ApplySchema/ReloadSchema, and
 * every `reloadIntervalMs` (--queryserver-config-schema-reload-time). Reloads are serialized; the first load only
 * records the baseline. A failing reload is logged and leaves the previous state.
 */
export class SchemaEngine extends EventEmitter<{ changed: [string[]] }> {
  private known: Map<string, string> | undefined;
  private chain: Promise<string[]> = Promise.resolve([]);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly source: SchemaSource, private readonly opts: { reloadIntervalMs: number; log: (msg: string) => void }) {
    super();
  }

  /** Loads the baseline, then reloads periodically. */
  async start(): Promise<void> {
    await this.reload();
    if (this.opts.reloadIntervalMs > 0) {
      this.timer = setInterval(() => void this.reload(), this.opts.reloadIntervalMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Re-reads the signatures; resolves with (and emits) the changed table names, sorted. */
  reload(): Promise<string[]> {
    this.chain = this.chain.then(() => this.reloadNow(), () => this.reloadNow());
    return this.chain;
  }

  /** CREATE TABLE texts (GetSchema of the query service). */
  definitions(names: readonly string[]): Promise<Map<string, string>> {
    return this.source.definitions(names);
  }

  private async reloadNow(): Promise<string[]> {
    let now: Map<string, string>;
    try {
      now = await this.source.signatures();
    } catch (e) {
      this.opts.log(`schema reload failed: ${(e as Error).message}`);
      return [];
    }
    const before = this.known;
    this.known = now;
    if (before === undefined) return [];
    const changed = new Set<string>();
    for (const [t, sig] of now) if (before.get(t) !== sig) changed.add(t);
    for (const t of before.keys()) if (!now.has(t)) changed.add(t);
    const list = [...changed].sort();
    if (list.length > 0) this.emit("changed", list);
    return list;
  }
}

/** A SchemaSource over admin connections to database `dbName`. */
export function mariaDbSchemaSource(withConn: <T>(fn: (c: DbConn) => Promise<T>) => Promise<T>, dbName: string): SchemaSource {
  const dbq = quoteString(dbName);
  return {
    signatures: () => withConn(async (c) => {
      const [r] = await c.query("SELECT c.table_name AS t, c.column_name AS c, c.column_type AS y FROM information_schema.columns c " +
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name " +
        `WHERE c.table_schema = ${dbq} AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`);
      const out = new Map<string, string>();
      for (const row of r ? rowsAsObjects(r) : []) {
        const t = row["t"] ?? "";
        out.set(t, `${out.get(t) ?? ""}${row["c"]} ${row["y"]},`);
      }
      return out;
    }),
    definitions: (names) => withConn(async (c) => {
      const filter = names.length > 0 ? ` AND table_name IN (${names.map(quoteString).join(", ")})` : "";
      const [r] = await c.query(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ${dbq} AND table_type = 'BASE TABLE'${filter}`);
      const out = new Map<string, string>();
      for (const row of r ? rowsAsObjects(r) : []) {
        const t = row["t"] ?? "";
        const [show] = await c.query(`SHOW CREATE TABLE ${quoteIdent(dbName)}.${quoteIdent(t)}`);
        const ddl = show?.rows[0]?.[1];
        if (ddl) out.set(t, new TextDecoder().decode(ddl));
      }
      return out;
    }),
  };
}

/** True when `sql` is DDL that may change table columns (CREATE/ALTER/DROP/RENAME/TRUNCATE), judged by its first word. */
export function mayChangeSchema(sql: string): boolean {
  let i = 0;
  while (i < sql.length) {
    const ch = sql.charCodeAt(i);
    if (ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 40) { i++; continue; }
    if (ch === 47 && sql.charCodeAt(i + 1) === 42) { // /* comment */
      const end = sql.indexOf("*/", i + 2);
      if (end < 0) return false;
      i = end + 2;
      continue;
    }
    break;
  }
  const c = sql.charCodeAt(i) | 0x20;
  if (c !== 0x63 && c !== 0x61 && c !== 0x64 && c !== 0x72) return false; // c a d r
  return /^(create|alter|drop|rename)\b/i.test(sql.slice(i, i + 7));
}
