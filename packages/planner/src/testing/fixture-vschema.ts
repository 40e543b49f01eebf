// Test-only: a minimal builder from Vitess SrvVSchema JSON to the VSchema snapshot (until @vt/vindexes' buildVSchema
// lands). Supports sharded flag, vindexes, column_vindexes (column/columns), table type, auto_increment, source.
import { defaultVindexRegistry, type ColumnVindex, type KeyspaceSchema, type VSchema, type VSchemaTable, type Vindex } from "@vt/vindexes";

interface TableJSON {
  type?: "sequence" | "reference";
  column_vindexes?: { column?: string; columns?: string[]; name: string }[];
  auto_increment?: { column: string; sequence: string };
  columns?: { name: string; type?: number }[];
  column_list_authoritative?: boolean;
  source?: string;
}
interface KeyspaceJSON {
  sharded?: boolean;
  vindexes?: Record<string, { type: string; params?: Record<string, string>; owner?: string }>;
  tables?: Record<string, TableJSON>;
}

/** Builds a VSchema from `{keyspaces: {ks: {...}}}` JSON. */
export function fixtureVSchema(json: { keyspaces: Record<string, KeyspaceJSON> }): VSchema {
  const registry = defaultVindexRegistry();
  const keyspaces = new Map<string, KeyspaceSchema>();
  const all: VSchemaTable[] = [];
  const pendingAI: { t: VSchemaTable & { autoIncrement?: unknown }; ai: { column: string; sequence: string } }[] = [];
  for (const [ksName, ks] of Object.entries(json.keyspaces)) {
    const keyspace = { name: ksName, sharded: !!ks.sharded };
    const vindexes = new Map<string, Vindex>();
    for (const [n, v] of Object.entries(ks.vindexes ?? {})) vindexes.set(n, registry.create(v.type, n, v.params ?? {}, v.owner));
    const tables = new Map<string, VSchemaTable>();
    for (const [tn, t] of Object.entries(ks.tables ?? {})) {
      const cvs: ColumnVindex[] = (t.column_vindexes ?? []).map((cv) => {
        const vindex = vindexes.get(cv.name)!;
        return { columns: cv.columns ?? [cv.column!], name: cv.name, vindex, isUnique: vindex.isUnique, cost: vindex.cost, owned: (ks.vindexes?.[cv.name]?.owner ?? "") === tn };
      });
      const table: VSchemaTable = {
        name: tn, keyspace, type: t.type ?? "", columnVindexes: cvs, ownedVindexes: cvs.slice(1).filter((c) => c.owned),
        columns: (t.columns ?? []).map((c) => ({ name: c.name, type: c.type ?? 0 })), columnListAuthoritative: !!t.column_list_authoritative,
        ...(t.source ? { source: t.source } : {}),
      };
      tables.set(tn, table);
      all.push(table);
      if (t.auto_increment) pendingAI.push({ t: table, ai: t.auto_increment });
    }
    keyspaces.set(ksName, { keyspace, tables, vindexes, requireExplicitRouting: false });
  }
  for (const { t, ai } of pendingAI) {
    const [q, n] = ai.sequence.includes(".") ? ai.sequence.split(".") : [undefined, ai.sequence];
    const seq = all.find((x) => x.name === n && (q === undefined || x.keyspace.name === q));
    if (seq) (t as { autoIncrement?: unknown }).autoIncrement = { column: ai.column, sequence: seq };
  }
  const counts = new Map<string, number>();
  for (const t of all) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const globalTables = new Map(all.filter((t) => counts.get(t.name) === 1).map((t) => [t.name, t]));
  return { keyspaces, globalTables, routingRules: new Map() };
}
