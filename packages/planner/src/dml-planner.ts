import { ER, SqlError, VT } from "@vt/errors";
import { translateExpr, type EvalExpr } from "@vt/evalengine";
import type { Delete, Insert, KeyspaceRef, PlanNode, Update } from "@vt/plan";
import {
  format, formatExpr, formatTableName, type Delete as DeleteStmt, type Expr, type Insert as InsertStmt,
  type SelectStatement, type Update as UpdateStmt,
} from "@vt/sqlparser";
import type { PlanningContext } from "./planning-context.js";
import { mapExpr, stripSelect, stripTableQualifiers, VALS_ARG } from "./rewrite.js";
import { chooseRouting } from "./routing.js";
import { resolveFrom } from "./select-planner.js";
import { resolveTable } from "./table-resolver.js";

const ksRef = (k: { name: string; sharded: boolean }): KeyspaceRef => ({ name: k.name, sharded: k.sharded });

/**
 * INSERT: unsharded → sent whole; sharded → rows split per shard by the primary vindex (values must be literals or
 * bind variables), with auto-increment columns filled from the table's sequence.
 * Throws VT09001 without a primary vindex, VT12001 for INSERT ... SELECT / REPLACE on sharded keyspaces.
 */
export function planInsert(ctx: PlanningContext, stmt: InsertStmt): PlanNode {
  const table = resolveTable(ctx, stmt.table);
  const ks = ksRef(table.keyspace);
  const keyspaces = new Set([ks.name]);
  const unqualified: InsertStmt = {
    ...stmt, table: stmt.table.qualifier === ks.name ? { name: stmt.table.name } : stmt.table,
    ...(!Array.isArray(stmt.rows) ? { rows: stripSelect(stmt.rows as SelectStatement, keyspaces) } : {}),
  };
  if (!ks.sharded) return { kind: "Insert", opcode: "InsertUnsharded", keyspace: ks, tableName: table.name, query: format(unqualified) };
  if (!Array.isArray(stmt.rows)) throw VT.VT12001("INSERT ... SELECT into a sharded table");
  if (stmt.action === "replace") throw VT.VT12001("REPLACE INTO with sharded keyspace");
  const primary = table.columnVindexes[0];
  if (!primary) throw VT.VT09001(table.name);
  if (table.ownedVindexes.length > 0) throw VT.VT12001("INSERT into a table that owns lookup vindexes");
  let columns = [...stmt.columns];
  if (columns.length === 0) {
    if (!table.columnListAuthoritative) throw VT.VT12001("INSERT should contain column list or the table should have authoritative columns in vschema");
    columns = table.columns.map((c) => c.name);
  }
  let rows = (stmt.rows as readonly (readonly Expr[])[]).map((r) => [...r]);
  for (const r of rows) if (r.length !== columns.length) throw new SqlError(ER.WRONG_VALUE_COUNT_ON_ROW, "21S01", "Column count doesn't match value count at row 1", "INVALID_ARGUMENT");
  const generate = autoIncrement(table, columns, rows);
  if (generate) { columns = generate.columns; rows = generate.rows; }
  for (const u of stmt.onDup) {
    if (table.columnVindexes.some((cv) => cv.columns.some((c) => c.toLowerCase() === u.column.name.toLowerCase()))) {
      throw VT.VT12001("DML cannot update vindex column");
    }
  }
  const colIdx = primary.columns.map((c) => {
    const i = columns.findIndex((x) => x.toLowerCase() === c.toLowerCase());
    return i;
  });
  const vindexValues: EvalExpr[][] = rows.map((r) => colIdx.map((i) => {
    if (i < 0) return { kind: "Literal", type: 0, value: null };
    const v = translateExpr(r[i]!);
    if (!v) throw VT.VT12001(`INSERT of a non-literal vindex value: ${formatExpr(r[i]!)}`);
    return v;
  }));
  const head: InsertStmt = { ...unqualified, columns, rows: [], onDup: [] };
  const prefix = `${format(head).replace(/ values $/, "")} values `;
  const suffix = stmt.onDup.length > 0 ? format({ ...head, rows: [[]], onDup: stmt.onDup }).replace(/^.* values \(\)/, "") : "";
  const node: Insert = {
    kind: "Insert", opcode: "InsertSharded", keyspace: ks, tableName: table.name, prefix,
    rows: rows.map((r) => `(${r.map(formatExpr).join(", ")})`), suffix, vindex: primary.name, vindexValues,
    ...(stmt.ignore ? { ignore: true } : {}),
    ...(generate ? { generate: generate.generate } : {}),
  };
  return node;
}

function autoIncrement(table: ReturnType<typeof resolveTable>, columns: string[], rows: Expr[][]) {
  const ai = table.autoIncrement;
  if (!ai) return undefined;
  let idx = columns.findIndex((c) => c.toLowerCase() === ai.column.toLowerCase());
  const cols = [...columns];
  const newRows = rows.map((r) => [...r]);
  if (idx < 0) {
    cols.push(ai.column);
    idx = cols.length - 1;
    newRows.forEach((r) => r.push({ kind: "Literal", type: "null", value: "" }));
  }
  const values: (EvalExpr | null)[] = newRows.map((r, i) => {
    const e = r[idx]!;
    r[idx] = { kind: "Arg", name: `__seq${i}` };
    if (e.kind === "Literal" && e.type === "null") return null;
    const v = translateExpr(e);
    if (!v) throw VT.VT12001(`non-literal auto-increment value: ${formatExpr(e)}`);
    return v;
  });
  return {
    columns: cols, rows: newRows,
    generate: { keyspace: ksRef(ai.sequence.keyspace), table: ai.sequence.name, column: ai.column, values },
  };
}

/** UPDATE: routed like a SELECT on its single table; changing a vindex column is rejected (VT12001). */
export function planUpdate(ctx: PlanningContext, stmt: UpdateStmt): PlanNode {
  return planDML(ctx, stmt, "Update");
}

/** DELETE: routed like a SELECT on its single table. */
export function planDelete(ctx: PlanningContext, stmt: DeleteStmt): PlanNode {
  return planDML(ctx, stmt, "Delete");
}

function planDML(ctx: PlanningContext, stmt: UpdateStmt | DeleteStmt, kind: "Update" | "Delete"): Update | Delete {
  const r = resolveFrom(ctx, [stmt.table], stmt.where);
  if (r.keyspaces.size > 1) throw VT.VT12001(`cross-keyspace ${kind.toUpperCase()}`);
  const first = r.tables[0];
  if (!first) throw VT.VT13001("DML without a table");
  const table = first.table;
  const ks = ksRef(table.keyspace);
  const stripped = { ...stmt, table: stripTableQualifiers(stmt.table, r.keyspaces) } as UpdateStmt | DeleteStmt;
  if (!ks.sharded) return { kind, opcode: "Unsharded", keyspace: ks, tableName: table.name, query: format(stripped) };
  if (r.tables.length > 1 || r.subqueryTables.some((t) => t.type !== "reference")) throw VT.VT12001(`multi-table ${kind.toUpperCase()} on a sharded keyspace`);
  if (stmt.kind === "Update") {
    for (const u of stmt.set) {
      const cv = table.columnVindexes.find((v) => v.columns.some((c) => c.toLowerCase() === u.column.name.toLowerCase()));
      if (cv && cv === table.columnVindexes[0]) throw VT.VT12001(`you cannot UPDATE primary vindex columns; invalid update on vindex: ${cv.name}`);
      if (cv) throw VT.VT12001(`update of lookup vindex column ${cv.name}`);
    }
  } else if (table.ownedVindexes.length > 0) {
    throw VT.VT12001("DELETE from a table that owns lookup vindexes");
  }
  const choice = chooseRouting(table, first.names, stmt.where);
  if (choice.opcode !== "EqualUnique" && stmt.limit) throw VT.VT12001(`multi shard ${kind.toUpperCase()} with LIMIT`);
  let final = stripped;
  if (choice.inPredicate && stripped.where) {
    const pred = choice.inPredicate;
    final = { ...stripped, where: mapExpr(stripped.where, (e) => (JSON.stringify(e) === JSON.stringify(pred) ? { ...(e as Extract<Expr, { kind: "Binary" }>), right: VALS_ARG } : undefined)) };
  }
  return {
    kind, opcode: choice.opcode, keyspace: ks, tableName: table.name, query: format(final),
    ...(choice.vindex ? { vindex: choice.vindex } : {}),
    ...(choice.values ? { values: choice.values } : {}),
  };
}

export { formatTableName };
