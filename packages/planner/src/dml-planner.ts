import { ER, SqlError, VT } from "@vt/errors";
import { translateExpr, type EvalExpr } from "@vt/evalengine";
import type { ColumnChange, Delete, Insert, InsertOwned, KeyspaceRef, LimitedDml, OwnedLookups, PlanNode, RowMove, Update } from "@vt/plan";
import {
  format, formatExpr, formatSelect, formatTableName, type Delete as DeleteStmt, type Expr, type Insert as InsertStmt,
  type Select, type SelectStatement, type TableExpr, type Update as UpdateStmt,
} from "@vt/sqlparser";
import { isConsistentLookup, type ColumnVindex, type VSchemaTable } from "@vt/vindexes";
import { routeForDmlTables } from "./dml-routing.js";
import type { PlanningContext } from "./planning-context.js";
import { mapExpr, stripSelect, stripTableQualifiers, VALS_ARG } from "./rewrite.js";
import { resolveFrom, planSelect } from "./select-planner.js";
import { resolveTable } from "./table-resolver.js";

const ksRef = (k: { name: string; sharded: boolean }): KeyspaceRef => ({ name: k.name, sharded: k.sharded });
const NULL_EXPR: EvalExpr = { kind: "Literal", type: 0, value: null };
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * INSERT: unsharded → sent whole; reference table → sent to every shard; sharded → rows split per shard by the
 * primary vindex (values must be literals or bind variables), owned lookup vindex values collected per row,
 * auto-increment columns filled from the table's sequence. INSERT ... SELECT plans the SELECT as the input.
 * Throws VT09001 without a primary vindex, VT12001 for REPLACE into a table owning lookups and ON DUPLICATE KEY UPDATE
 * of a vindex column.
 */
export function planInsert(ctx: PlanningContext, stmt: InsertStmt): PlanNode {
  const table = resolveTable(ctx, stmt.table);
  const source = referenceSource(table);
  if (source) return planInsert(ctx, { ...stmt, table: source });
  const ks = ksRef(table.keyspace);
  const keyspaces = new Set([ks.name]);
  const fromSelect = !Array.isArray(stmt.rows);
  const unqualified: InsertStmt = {
    ...stmt, table: stmt.table.qualifier === ks.name ? { name: stmt.table.name } : stmt.table,
    ...(fromSelect ? { rows: stripSelect(stmt.rows as SelectStatement, keyspaces) } : {}),
  };
  if (!ks.sharded) {
    const whole: Insert = { kind: "Insert", opcode: "InsertUnsharded", keyspace: ks, tableName: table.name, query: format(unqualified) };
    if (!fromSelect) return whole;
    // INSERT ... SELECT into an unsharded table: passed through whole when the SELECT reads the same keyspace only.
    let input: PlanNode;
    try {
      input = planSelect(ctx, stmt.rows as SelectStatement);
    } catch {
      return whole;
    }
    if (input.kind === "Route" && input.opcode === "Unsharded" && input.keyspace.name === ks.name) return whole;
    const head: InsertStmt = { ...unqualified, rows: [], onDup: [] };
    const suffix = stmt.onDup.length > 0 ? format({ ...head, rows: [[]], onDup: stmt.onDup }).replace(/^.* values \(\)/, "") : "";
    return { kind: "Insert", opcode: "InsertUnsharded", keyspace: ks, tableName: table.name, prefix: `${format(head).replace(/ values $/, "")} values `, suffix, input };
  }
  if (table.type === "reference") {
    if (fromSelect) throw VT.VT12001("INSERT ... SELECT into a reference table");
    return { kind: "Insert", opcode: "InsertUnsharded", keyspace: ks, tableName: table.name, query: format(unqualified), reference: true };
  }
  if (stmt.action === "replace" && table.ownedVindexes.length > 0) throw VT.VT12001("REPLACE INTO a table that owns lookup vindexes");
  const primary = table.columnVindexes[0];
  if (!primary) throw VT.VT09001(table.name);
  for (const u of stmt.onDup) {
    if (table.columnVindexes.some((cv) => cv.columns.some((c) => same(c, u.column.name)))) throw VT.VT12001("DML cannot update vindex column");
  }
  let columns = [...stmt.columns];
  if (columns.length === 0) {
    if (!table.columnListAuthoritative) throw VT.VT12001("INSERT should contain column list or the table should have authoritative columns in vschema");
    columns = table.columns.map((c) => c.name);
  }
  const head: InsertStmt = { ...unqualified, columns, rows: [], onDup: [] };
  const suffix = stmt.onDup.length > 0 ? format({ ...head, rows: [[]], onDup: stmt.onDup }).replace(/^.* values \(\)/, "") : "";
  const ignore = stmt.ignore || stmt.onDup.length > 0;
  if (fromSelect) return planInsertSelect(ctx, stmt, table, columns, head, suffix, ignore);
  let rows = (stmt.rows as readonly (readonly Expr[])[]).map((r) => [...r]);
  rows.forEach((r, i) => {
    if (r.length !== columns.length) throw new SqlError(ER.WRONG_VALUE_COUNT_ON_ROW, "21S01", `Column count doesn't match value count at row ${i + 1}`, "INVALID_ARGUMENT");
  });
  const generate = autoIncrement(table, columns, rows);
  if (generate) { columns = generate.columns; rows = generate.rows; }
  const prefix = `${format({ ...head, columns }).replace(/ values $/, "")} values `;
  const valuesOf = (cv: ColumnVindex): EvalExpr[][] => rows.map((r) => cv.columns.map((c) => {
    const i = columns.findIndex((x) => same(x, c));
    if (i < 0) return NULL_EXPR;
    const v = translateExpr(r[i]!);
    if (!v) throw VT.VT12001(`INSERT of a non-literal vindex value: ${formatExpr(r[i]!)}`);
    return v;
  }));
  const owned: InsertOwned[] = table.ownedVindexes.map((cv) => ({ vindex: cv.name, columns: cv.columns, values: valuesOf(cv) }));
  return {
    kind: "Insert", opcode: "InsertSharded", keyspace: ks, tableName: table.name, prefix,
    rows: rows.map((r) => `(${r.map(formatExpr).join(", ")})`), suffix, vindex: primary.name, vindexValues: valuesOf(primary),
    ...(ignore ? { ignore: true } : {}),
    ...(owned.length > 0 ? { owned } : {}),
    ...(generate ? { generate: generate.generate } : {}),
  };
}

/** INSERT ... SELECT into a sharded table: the SELECT's rows are gathered, then inserted per shard. */
function planInsertSelect(ctx: PlanningContext, stmt: InsertStmt, table: VSchemaTable, columns: string[], head: InsertStmt, suffix: string, ignore: boolean): Insert {
  const ai = table.autoIncrement;
  if (ai && !columns.some((c) => same(c, ai.column))) throw VT.VT12001("INSERT ... SELECT without the auto-increment column");
  const colValues = (cv: ColumnVindex): EvalExpr[][] => [cv.columns.map((c) => {
    const offset = columns.findIndex((x) => same(x, c));
    return offset < 0 ? NULL_EXPR : { kind: "Column", offset };
  })];
  const owned: InsertOwned[] = table.ownedVindexes.map((cv) => ({ vindex: cv.name, columns: cv.columns, values: colValues(cv) }));
  const primary = table.columnVindexes[0]!;
  return {
    kind: "Insert", opcode: "InsertSharded", keyspace: ksRef(table.keyspace), tableName: table.name,
    prefix: `${format(head).replace(/ values $/, "")} values `, suffix, vindex: primary.name, vindexValues: colValues(primary),
    ...(ignore ? { ignore: true } : {}),
    ...(owned.length > 0 ? { owned } : {}),
    input: planSelect(ctx, stmt.rows as SelectStatement),
  };
}

function autoIncrement(table: VSchemaTable, columns: string[], rows: Expr[][]) {
  const ai = table.autoIncrement;
  if (!ai) return undefined;
  let idx = columns.findIndex((c) => same(c, ai.column));
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

/**
 * UPDATE: routed like a SELECT on its table(s). Changing an owned lookup column selects the old values first
 * (`owned`); changing the primary vindex column moves the rows (`move`). Multi-table UPDATE is allowed when the
 * tables are joined on their primary vindex (one route).
 */
export function planUpdate(ctx: PlanningContext, stmt: UpdateStmt): PlanNode {
  return planDML(ctx, stmt, "Update");
}

/** DELETE: routed like a SELECT; owned lookup rows of the deleted rows are deleted too (`owned`). */
export function planDelete(ctx: PlanningContext, stmt: DeleteStmt): PlanNode {
  return planDML(ctx, stmt, "Delete");
}

function planDML(ctx: PlanningContext, stmt: UpdateStmt | DeleteStmt, kind: "Update" | "Delete"): Update | Delete {
  const redirected = toReferenceSource(ctx, stmt);
  if (redirected) return planDML(ctx, redirected, kind);
  const r = resolveFrom(ctx, [stmt.table], stmt.where);
  if (r.keyspaces.size > 1) throw VT.VT12001(`cross-keyspace ${kind.toUpperCase()}`);
  const first = r.tables[0];
  if (!first) throw VT.VT13001("DML without a table");
  const table = first.table;
  const ks = ksRef(table.keyspace);
  const stripped = { ...stmt, table: stripTableQualifiers(stmt.table, r.keyspaces) } as UpdateStmt | DeleteStmt;
  if (!ks.sharded) return { kind, opcode: "Unsharded", keyspace: ks, tableName: table.name, query: format(stripped) };
  if (r.subqueryTables.some((t) => t.type !== "reference")) throw VT.VT12001(`${kind.toUpperCase()} with a subquery over sharded tables`);
  const multi = r.tables.length > 1;
  if (r.tables.every((t) => t.table.type === "reference")) {
    return { kind, opcode: "Scatter", keyspace: ks, tableName: r.tables.map((t) => t.table.name).join(", "), query: format(stripped), reference: true };
  }
  if (multi) rejectReferenceWrites(r.tables, stmt);
  const choice = routeForDmlTables(r.tables, stmt.where, stmt.table);
  if (!choice) throw VT.VT12001(`multi-table ${kind.toUpperCase()} whose tables are not joined on their primary vindex`);
  const single = choice.opcode === "EqualUnique" || choice.opcode === "None";
  let final = stripped;
  if (choice.inPredicate && stripped.where) {
    const pred = choice.inPredicate;
    final = { ...stripped, where: mapExpr(stripped.where, (e) => (JSON.stringify(e) === JSON.stringify(pred) ? { ...(e as Extract<Expr, { kind: "Binary" }>), right: VALS_ARG } : undefined)) };
  }
  const limited = !single && stmt.limit ? limitedDml(final, multi, kind) : undefined;
  const routing = {
    opcode: choice.opcode, keyspace: ks, tableName: r.tables.map((t) => t.table.name).join(", "),
    ...(choice.vindex ? { vindex: choice.vindex } : {}),
    ...(choice.values ? { values: choice.values } : {}),
  };
  if (kind === "Delete") {
    const del = final as DeleteStmt;
    if (multi) {
      const targets = del.targets ?? [];
      if (targets.length === 0) throw VT.VT12001("multi-table DELETE without target tables");
      const owning = r.tables.filter((t) => t.table.ownedVindexes.length > 0 && targets.some((x) => t.names.has(x.name.toLowerCase()) || same(t.table.name, x.name)));
      if (owning.length > 0) throw VT.VT12001(`multi-table DELETE of a table that owns lookup vindexes: ${owning[0]!.table.name}`);
      const stripTargets = targets.map((x) => (x.qualifier !== undefined && r.keyspaces.has(x.qualifier) ? { name: x.name } : x));
      return { kind, ...routing, query: format({ ...del, targets: stripTargets }) };
    }
    const owned = table.ownedVindexes.length > 0 ? ownedLookups(table, final, table.ownedVindexes, []) : undefined;
    if (owned && limited) throw VT.VT12001("multi shard DELETE with LIMIT of a table that owns lookup vindexes");
    return { kind, ...routing, query: format(final), ...(owned ? { owned } : {}), ...(limited ? { limited } : {}) };
  }
  const upd = stmt as UpdateStmt;
  const touches = (cv: ColumnVindex) => upd.set.some((u) => cv.columns.some((c) => same(c, u.column.name)) && (u.column.table === undefined || first.names.has(u.column.table.toLowerCase())));
  const primary = table.columnVindexes[0];
  if (primary && touches(primary)) {
    if (multi || limited) throw VT.VT12001("multi-table or multi shard LIMIT UPDATE changing a primary vindex column");
    return { kind, ...routing, query: format(final), move: rowMove(table, final as UpdateStmt, { kind: "Delete", ...routing, query: deleteFor(final as UpdateStmt) }) };
  }
  const changed = table.columnVindexes.filter((cv) => touches(cv));
  const notOwned = changed.find((cv) => !cv.owned);
  if (notOwned) throw VT.VT12001(`you cannot UPDATE a vindex column not owned by the table; invalid update on vindex: ${notOwned.name}`);
  const owned = changed.length > 0 ? ownedLookups(table, final, changed, upd.set) : undefined;
  if (owned && (multi || limited)) throw VT.VT12001("multi-table or multi shard LIMIT UPDATE changing lookup vindex columns");
  return { kind, ...routing, query: format(final), ...(owned ? { owned } : {}), ...(limited ? { limited } : {}) };
}

/**
 * A multi-shard UPDATE/DELETE with LIMIT: the rows are chosen across shards by a merge-sorted `select *` and then
 * changed by matching all their columns. Throws VT12001 for multi-table forms and non-literal limits.
 */
function limitedDml(stmt: UpdateStmt | DeleteStmt, multi: boolean, kind: "Update" | "Delete"): LimitedDml {
  if (multi) throw VT.VT12001(`multi-table ${kind.toUpperCase()} with LIMIT`);
  const count = stmt.limit?.offset === undefined && stmt.limit ? translateExpr(stmt.limit.count) : undefined;
  if (!count) throw VT.VT12001(`multi shard ${kind.toUpperCase()} with a non-literal LIMIT`);
  const extras = stmt.orderBy.map((o) => ({ kind: "AliasedExpr" as const, expr: o.expr }));
  const n = extras.length;
  const head: string = stmt.kind === "Delete"
    ? format({ kind: "Delete", table: stmt.table, orderBy: [] })
    : format({ kind: "Update", table: stmt.table, set: stmt.set, orderBy: [], ...(stmt.ignore ? { ignore: true } : {}) });
  return {
    query: selectFor(stmt, [{ kind: "Star" }, ...extras]),
    orderBy: stmt.orderBy.map((o, i) => ({ col: -(n - i), desc: o.desc })), extras: n, head,
    ...(stmt.where ? { where: formatExpr(stmt.where) } : {}), count,
  };
}

/** The writable source `ks.t` of a reference table that names one (Vitess: the copies are read-only), else undefined. */
function referenceSource(table: VSchemaTable): { qualifier: string; name: string } | undefined {
  if (table.type !== "reference" || !table.source) return undefined;
  const dot = table.source.indexOf(".");
  if (dot <= 0) return undefined;
  return { qualifier: table.source.slice(0, dot), name: table.source.slice(dot + 1) };
}

/**
 * A single-table UPDATE/DELETE of a reference table with a source, rewritten to write the source table instead
 * (aliased by the name the query used when the names differ, so qualified columns still resolve).
 */
function toReferenceSource(ctx: PlanningContext, stmt: UpdateStmt | DeleteStmt): UpdateStmt | DeleteStmt | undefined {
  const t = stmt.table;
  if (t.kind !== "AliasedTable") return undefined;
  const source = referenceSource(resolveTable(ctx, t.table));
  if (!source) return undefined;
  const alias = t.as ?? (same(source.name, t.table.name) ? undefined : t.table.name);
  if (stmt.kind === "Delete" && stmt.targets && !t.as && alias) return undefined;
  return { ...stmt, table: { kind: "AliasedTable", table: source, ...(alias ? { as: alias } : {}) } } as UpdateStmt | DeleteStmt;
}

/** A multi-table DML that writes a reference table next to sharded tables would diverge its copies: VT12001. */
function rejectReferenceWrites(tables: readonly { table: VSchemaTable; names: ReadonlySet<string> }[], stmt: UpdateStmt | DeleteStmt): void {
  const written = stmt.kind === "Update" ? stmt.set.map((u) => u.column.table).filter((t): t is string => t !== undefined) : (stmt.targets ?? []).map((t) => t.name);
  for (const w of written) {
    const t = tables.find((x) => x.names.has(w.toLowerCase()) || same(x.table.name, w));
    if (t && t.table.type === "reference") throw VT.VT12001(`multi-table ${stmt.kind.toUpperCase()} writing the reference table ${t.table.name}`);
  }
}

/** The select over the DML's rows (same FROM, WHERE, ORDER BY, LIMIT), locking them. */
function selectFor(stmt: UpdateStmt | DeleteStmt, columns: Select["columns"]): string {
  const sel: Select = {
    kind: "Select", distinct: false, columns, from: [stmt.table as TableExpr], groupBy: [], orderBy: stmt.orderBy,
    ...(stmt.where ? { where: stmt.where } : {}), ...(stmt.limit ? { limit: stmt.limit } : {}), lock: "for update",
  };
  return formatSelect(sel);
}

const col = (name: string) => ({ kind: "AliasedExpr" as const, expr: { kind: "Column" as const, name } });

/** Old-value select and change list for owned lookup maintenance. */
function ownedLookups(table: VSchemaTable, stmt: UpdateStmt | DeleteStmt, vindexes: readonly ColumnVindex[], set: UpdateStmt["set"]): OwnedLookups {
  const primary = table.columnVindexes[0]!;
  const cols: string[] = [...primary.columns];
  const extras: Expr[] = [];
  const out: OwnedLookups["vindexes"][number][] = [];
  for (const cv of vindexes) {
    const oldCols = cv.columns.map((c) => { cols.push(c); return cols.length - 1; });
    out.push({ vindex: cv.name, columns: cv.columns, oldCols });
  }
  const withNew = out.map((v) => {
    if (set.length === 0) return v;
    const newValues = v.columns.map((c, j): EvalExpr => {
      const u = set.find((x) => same(x.column.name, c));
      if (!u) return { kind: "Column", offset: v.oldCols[j]! };
      const t = translateExpr(u.expr);
      if (t) return t;
      extras.push(u.expr);
      return { kind: "Column", offset: -extras.length };
    });
    return { ...v, newValues };
  });
  // Extra expressions follow the named columns: resolve their (negative placeholder) offsets.
  const fixed = withNew.map((v) => (v.newValues ? { ...v, newValues: v.newValues.map((e) => (e.kind === "Column" && e.offset < 0 ? { kind: "Column" as const, offset: cols.length - e.offset - 1 } : e)) } : v));
  const query = selectFor(stmt, [...cols.map(col), ...extras.map((expr) => ({ kind: "AliasedExpr" as const, expr }))]);
  return { query, primaryVindex: primary.name, primaryCols: primary.columns.map((_, i) => i), vindexes: fixed };
}

/** A row move for an UPDATE of the primary vindex column(s). */
function rowMove(table: VSchemaTable, stmt: UpdateStmt, del: Delete): RowMove {
  const extras: Expr[] = [];
  const changes: ColumnChange[] = stmt.set.map((u) => {
    const t = translateExpr(u.expr);
    if (t) return { column: u.column.name, value: t };
    extras.push(u.expr);
    return { column: u.column.name, extra: extras.length - 1 };
  });
  // Consistent lookup rows are not deleted: the re-insert takes them over (their owner row is gone by then).
  const dropped = table.ownedVindexes.filter((cv) => !isConsistentLookup(cv.vindex));
  const owned = dropped.length > 0 ? ownedLookups(table, stmt, dropped, []) : undefined;
  const primary = table.columnVindexes[0]!;
  return {
    query: selectFor(stmt, [{ kind: "Star" }, ...extras.map((expr) => ({ kind: "AliasedExpr" as const, expr }))]),
    changes, extras: extras.length, table: table.name, primaryVindex: primary.name, primaryColumns: primary.columns,
    owned: table.ownedVindexes.map((cv) => ({ vindex: cv.name, columns: cv.columns })),
    delete: { ...del, ...(owned ? { owned } : {}) },
  };
}

/** `delete from t where ...` with the UPDATE's table, WHERE, ORDER BY and LIMIT. */
function deleteFor(stmt: UpdateStmt): string {
  const d: DeleteStmt = { kind: "Delete", table: stmt.table, orderBy: stmt.orderBy, ...(stmt.where ? { where: stmt.where } : {}), ...(stmt.limit ? { limit: stmt.limit } : {}) };
  return format(d);
}

export { formatTableName };
