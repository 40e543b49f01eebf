import { ER, SqlError, SS, VT } from "@vt/errors";
import type { TableName } from "@vt/sqlparser";
import type { KeyspaceSchema, VSchemaTable } from "@vt/vindexes";
import type { PlanningContext } from "./planning-context.js";
import { findRoutedTable } from "./routed-tables.js";

/**
 * Finds a table in the VSchema: `ks.t` in keyspace ks; `t` through routing rules, the session keyspace, then global
 * routing. Unsharded keyspaces accept tables their vschema does not list (they route everything to one shard).
 * Throws SqlError 1146/42S02 "Table 'ks.t' doesn't exist", 1049 for an unknown keyspace, VT09005 with no keyspace.
 */
export function resolveTable(ctx: PlanningContext, name: TableName): VSchemaTable {
  const vs = ctx.vschema;
  const ruled = findRoutedTable(ctx, name);
  if (ruled) return ruled;
  const ksName = name.qualifier ?? ctx.opts.keyspace;
  if (ksName !== undefined && ksName !== "") {
    const ks = vs.keyspaces.get(ksName);
    if (!ks) {
      if (!name.qualifier) return globalOrThrow(ctx, name, ksName);
      throw new SqlError(ER.BAD_DB, SS.BAD_DB, `Unknown database '${ksName}'`, "NOT_FOUND");
    }
    return tableIn(ks, name.name) ?? globalOrThrow(ctx, name, ksName);
  }
  return globalOrThrow(ctx, name, undefined);
}

function tableIn(ks: KeyspaceSchema, name: string): VSchemaTable | undefined {
  const t = ks.tables.get(name) ?? ks.tables.get(name.toLowerCase());
  if (t) return t;
  if (!ks.keyspace.sharded) {
    return { name, keyspace: ks.keyspace, type: "", columnVindexes: [], ownedVindexes: [], columns: [], columnListAuthoritative: false };
  }
  return undefined;
}

function globalOrThrow(ctx: PlanningContext, name: TableName, ksName: string | undefined): VSchemaTable {
  const g = name.qualifier ? undefined : ctx.vschema.globalTables.get(name.name);
  if (g) return g;
  if (ksName === undefined || ksName === "") {
    if (ctx.vschema.keyspaces.size === 1) {
      const only = [...ctx.vschema.keyspaces.values()][0]!;
      const t = tableIn(only, name.name);
      if (t) return t;
    }
    throw VT.VT09005();
  }
  throw new SqlError(ER.NO_SUCH_TABLE, SS.NO_SUCH_TABLE, `Table '${ksName}.${name.name}' doesn't exist`, "NOT_FOUND");
}

/** The keyspace a statement without tables (DDL/passthrough) goes to: the qualifier, else the session keyspace. */
export function resolveKeyspace(ctx: PlanningContext, qualifier?: string): KeyspaceSchema {
  const ksName = qualifier ?? ctx.opts.keyspace;
  if (ksName === undefined || ksName === "") {
    if (ctx.vschema.keyspaces.size === 1) return [...ctx.vschema.keyspaces.values()][0]!;
    throw VT.VT09005();
  }
  const ks = ctx.vschema.keyspaces.get(ksName);
  if (!ks) throw new SqlError(ER.BAD_DB, SS.BAD_DB, `Unknown database '${ksName}'`, "NOT_FOUND");
  return ks;
}
