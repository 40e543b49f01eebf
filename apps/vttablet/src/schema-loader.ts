import { create } from "@bufbuild/protobuf";
import { SchemaDefinitionSchema, TableDefinitionSchema, type SchemaDefinition, type TableDefinition } from "@vt/proto/tabletmanagerdata";
import { fieldToProto } from "@vt/sqltypes";
import type { DbConn } from "./db-conn.js";
import { quoteIdent, quoteString, rowsAsObjects } from "./result-rows.js";

/** Which tables GetSchema reports (tabletmanagerdata.GetSchemaRequest's filters). */
export interface SchemaFilter {
  /** Only these tables (exact names, or /regexp/ as in Vitess); empty = all. */
  readonly tables?: readonly string[];
  readonly excludeTables?: readonly string[];
  readonly includeViews?: boolean;
  /** Skip fields, data length and row count (cheaper). */
  readonly tableSchemaOnly?: boolean;
}

const matches = (name: string, patterns: readonly string[]): boolean => patterns.some((p) =>
  p.length > 2 && p.startsWith("/") && p.endsWith("/") ? new RegExp(p.slice(1, -1)).test(name) : p === name);

/** SHOW CREATE TABLE text as Vitess stores it: without the AUTO_INCREMENT=N table option (it changes with data). */
export const stripAutoIncrement = (ddl: string): string => ddl.replace(/ AUTO_INCREMENT=\d+/, "");

async function one(db: DbConn, sql: string): Promise<Record<string, string | null>[]> {
  const [r] = await db.query(sql);
  return r ? rowsAsObjects(r) : [];
}

/**
 * Reads the schema of database `dbName` from MariaDB: the CREATE DATABASE text, and per table (views only with
 * includeViews) its CREATE TABLE/VIEW text, columns in ordinal order, primary key columns in key order, type,
 * data length, row count and fields. Tables are sorted by name. Throws MariaDB's SqlError (e.g. 1049 unknown db).
 */
export async function loadSchema(db: DbConn, dbName: string, f: SchemaFilter = {}): Promise<SchemaDefinition> {
  const dbq = quoteString(dbName);
  const dbRow = await one(db, `SHOW CREATE DATABASE ${quoteIdent(dbName)}`);
  const tables = await one(db, "SELECT table_name AS name, table_type AS type, IFNULL(data_length, 0) AS data_length, " +
    `IFNULL(table_rows, 0) AS table_rows FROM information_schema.tables WHERE table_schema = ${dbq} ORDER BY table_name`);
  const cols = await one(db, "SELECT table_name AS t, column_name AS c FROM information_schema.columns " +
    `WHERE table_schema = ${dbq} ORDER BY table_name, ordinal_position`);
  const pks = await one(db, "SELECT table_name AS t, column_name AS c FROM information_schema.statistics " +
    `WHERE table_schema = ${dbq} AND index_name = 'PRIMARY' ORDER BY table_name, seq_in_index`);
  const byTable = (rows: Record<string, string | null>[], t: string) => rows.filter((r) => r["t"] === t).map((r) => r["c"] ?? "");
  const defs: TableDefinition[] = [];
  for (const t of tables) {
    const name = t["name"] ?? "";
    const isView = t["type"] === "VIEW";
    if (isView && !f.includeViews) continue;
    if ((f.tables?.length ?? 0) > 0 && !matches(name, f.tables!)) continue;
    if (matches(name, f.excludeTables ?? [])) continue;
    const [show] = await db.query(`SHOW CREATE TABLE ${quoteIdent(dbName)}.${quoteIdent(name)}`);
    const ddl = show?.rows[0]?.[1];
    const def = create(TableDefinitionSchema, {
      name, schema: ddl ? stripAutoIncrement(new TextDecoder().decode(ddl)) : "", type: isView ? "VIEW" : "BASE TABLE",
      columns: byTable(cols, name), primaryKeyColumns: byTable(pks, name),
    });
    if (!f.tableSchemaOnly) {
      def.dataLength = BigInt(t["data_length"] ?? 0);
      def.rowCount = BigInt(t["table_rows"] ?? 0);
      const [fr] = await db.query(`SELECT * FROM ${quoteIdent(dbName)}.${quoteIdent(name)} WHERE 1 != 1`);
      def.fields = (fr?.fields ?? []).map(fieldToProto);
    }
    defs.push(def);
  }
  return create(SchemaDefinitionSchema, { databaseSchema: dbRow[0]?.["Create Database"] ?? "", tableDefinitions: defs });
}
