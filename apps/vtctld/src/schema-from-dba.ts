import { create } from "@bufbuild/protobuf";
import { SchemaDefinitionSchema, TableDefinitionSchema, type SchemaDefinition } from "@vt/proto/tabletmanagerdata";
import type { QueryResult } from "@vt/proto/query";
import type { Tablet } from "@vt/proto/topodata";
import type { TabletManagerClientOf } from "./deps.js";

function rows(r: QueryResult | undefined): (string | null)[][] {
  const dec = new TextDecoder();
  return (r?.rows ?? []).map((row) => {
    let off = 0;
    return row.lengths.map((len) => {
      if (len < 0) return null;
      const s = dec.decode(row.values.subarray(off, off + len));
      off += len;
      return s;
    });
  });
}

const quote = (s: string): string => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * Builds a tablet's SchemaDefinition from information_schema through ExecuteFetchAsDba, for tablets whose
 * TabletManager has no GetSchema. `tables`/`excludeTables` filter by exact name; views only with includeViews.
 */
export async function schemaFromDba(
  tmc: TabletManagerClientOf, tablet: Tablet,
  o: { tables: string[]; excludeTables: string[]; includeViews: boolean; tableSchemaOnly: boolean },
): Promise<SchemaDefinition> {
  const db = tablet.dbNameOverride || tablet.keyspace;
  const fetch = async (q: string) => rows((await tmc.executeFetchAsDba({
    query: new TextEncoder().encode(q), dbName: db, maxRows: 100000n,
  })).result);
  const dbRow = await fetch(`SHOW CREATE DATABASE \`${db.replace(/`/g, "``")}\``);
  const tables = await fetch(
    "SELECT table_name, table_type, IFNULL(data_length, 0), IFNULL(table_rows, 0) FROM information_schema.tables " +
    `WHERE table_schema = ${quote(db)} ORDER BY table_name`,
  );
  const cols = await fetch(
    "SELECT table_name, column_name, column_key FROM information_schema.columns " +
    `WHERE table_schema = ${quote(db)} ORDER BY table_name, ordinal_position`,
  );
  const defs = [];
  for (const [name, type, dataLength, rowCount] of tables) {
    if (name === null || name === undefined) continue;
    const isView = type === "VIEW";
    if (isView && !o.includeViews) continue;
    if (o.tables.length > 0 && !o.tables.includes(name)) continue;
    if (o.excludeTables.includes(name)) continue;
    const show = await fetch(`SHOW CREATE TABLE \`${name.replace(/`/g, "``")}\``);
    const mine = cols.filter((c) => c[0] === name);
    defs.push(create(TableDefinitionSchema, {
      name, schema: show[0]?.[1] ?? "", type: isView ? "VIEW" : "BASE TABLE",
      columns: mine.map((c) => c[1] ?? ""), primaryKeyColumns: mine.filter((c) => c[2] === "PRI").map((c) => c[1] ?? ""),
      ...(o.tableSchemaOnly ? {} : { dataLength: BigInt(dataLength ?? 0), rowCount: BigInt(rowCount ?? 0) }),
    }));
  }
  return create(SchemaDefinitionSchema, { databaseSchema: dbRow[0]?.[1] ?? "", tableDefinitions: defs });
}
