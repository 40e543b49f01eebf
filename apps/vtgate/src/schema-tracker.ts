import type { QueryService, Target } from "@vt/tablet-client";
import { createTableColumns, type TrackedColumn } from "./create-table-columns.js";

/** What the tracker needs to know about a health report. */
export interface TrackedHealth {
  readonly keyspace: string;
  readonly shard: string;
  readonly tabletType: number;
  readonly serving: boolean;
  readonly conn: QueryService;
  /** realtime_stats.table_schema_changed of this report. */
  readonly tableSchemaChanged: readonly string[];
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const PRIMARY = 1;

/**
 * vtgate's schema tracker (Vitess's --schema_change_signal): learns each keyspace's table columns from its primary
 * tablets. The first serving PRIMARY health report of a keyspace triggers a full load (GetSchema of every table);
 * later reports naming tables in realtime_stats.table_schema_changed reload just those (a table missing from the
 * answer was dropped). After each change `onChange` runs (main.ts rebuilds the VSchema and so clears the plan cache).
 * `merge` applies what is known to a SrvVSchema JSON: tracked columns become authoritative columns of tables the
 * VSchema lists without an authoritative column list; in unsharded keyspaces, tracked tables the VSchema does not list
 * are added (so they route); sharded keyspaces never get tables added. Loads are serialized per keyspace; a failed
 * load is logged and retried on the keyspace's next report.
 */
export class SchemaTracker {
  private readonly tables = new Map<string, Map<string, TrackedColumn[]>>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly log: (msg: string) => void) {}

  /** Called after every change of tracked columns. */
  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  /** The tracked columns of `keyspace.table`, if any. */
  columns(keyspace: string, table: string): readonly TrackedColumn[] | undefined {
    return this.tables.get(keyspace)?.get(table);
  }

  /** Feeds one health report (every tablet's reports may be fed; only serving PRIMARY ones count). */
  handleHealth(h: TrackedHealth): void {
    if (h.tabletType !== PRIMARY || !h.serving || !h.conn.getSchema) return;
    const full = !this.tables.has(h.keyspace);
    if (!full && h.tableSchemaChanged.length === 0) return;
    const target: Target = { keyspace: h.keyspace, shard: h.shard, tabletType: PRIMARY };
    const prev = this.loading.get(h.keyspace) ?? Promise.resolve();
    const next = prev.then(() => this.load(h.conn, target, full ? [] : [...h.tableSchemaChanged]));
    this.loading.set(h.keyspace, next);
    void next.finally(() => { if (this.loading.get(h.keyspace) === next) this.loading.delete(h.keyspace); });
  }

  /** Resolves when no load is running (tests). */
  async settled(): Promise<void> {
    while (this.loading.size > 0) await Promise.all([...this.loading.values()]);
  }

  private async load(conn: QueryService, target: Target, names: string[]): Promise<void> {
    const full = names.length === 0;
    if (full && this.tables.has(target.keyspace)) return; // an earlier full load finished meanwhile
    let defs: Record<string, string>;
    try {
      defs = await conn.getSchema!(target, names);
    } catch (e) {
      this.log(`schema tracking: GetSchema from ${target.keyspace}/${target.shard}: ${(e as Error).message}`);
      return;
    }
    const ks = this.tables.get(target.keyspace) ?? new Map<string, TrackedColumn[]>();
    if (full) ks.clear();
    for (const n of names) if (!(n in defs)) ks.delete(n);
    for (const [t, ddl] of Object.entries(defs)) ks.set(t, createTableColumns(ddl));
    this.tables.set(target.keyspace, ks);
    this.log(`schema tracking: ${target.keyspace}: ${full ? `loaded ${ks.size} tables` : `reloaded ${names.join(", ")}`}`);
    for (const fn of this.listeners) fn();
  }

  /** A copy of a SrvVSchema JSON (proto field names) with tracked columns applied (rules in the class comment). */
  merge(srvVSchemaJson: unknown): unknown {
    if (!isObject(srvVSchemaJson) || !isObject(srvVSchemaJson["keyspaces"]) || this.tables.size === 0) return srvVSchemaJson;
    const keyspaces: JsonObject = { ...srvVSchemaJson["keyspaces"] };
    for (const [ksName, tracked] of this.tables) {
      const ks = keyspaces[ksName];
      if (!isObject(ks)) continue;
      const tables: JsonObject = isObject(ks["tables"]) ? { ...ks["tables"] } : {};
      for (const [t, cols] of tracked) {
        const existing = tables[t];
        if (isObject(existing)) {
          if (existing["column_list_authoritative"] === true) continue;
          tables[t] = { ...existing, columns: cols.map((c) => ({ name: c.name, type: c.type })), column_list_authoritative: true };
        } else if (ks["sharded"] !== true) {
          tables[t] = { columns: cols.map((c) => ({ name: c.name, type: c.type })), column_list_authoritative: true };
        }
      }
      keyspaces[ksName] = { ...ks, tables };
    }
    return { ...srvVSchemaJson, keyspaces };
  }
}
