import { SqlError } from "@vt/errors";
import { cellCompare, type CellCompare } from "@vt/evalengine";
import type { OrderByParam } from "@vt/plan";
import type { Field, Result, Row, Value } from "@vt/sqltypes";
import type { ShardOutcome } from "./vcursor.js";

/** Throws the first shard error (errno/SQLSTATE kept); otherwise returns the results. */
export function allOrThrow(outcomes: readonly ShardOutcome[]): Result[] {
  const out: Result[] = [];
  for (const o of outcomes) {
    if (!o.ok) throw SqlError.from(o.error);
    out.push(o.result);
  }
  return out;
}

/** Concatenates shard results: first non-empty fields, all rows, summed rows affected, first non-zero insert id. */
export function mergeResults(results: readonly Result[]): Result {
  const fields = results.find((r) => r.fields.length > 0)?.fields ?? [];
  const rows: Row[] = [];
  let rowsAffected = 0n;
  let insertId = 0n;
  let warnings = 0;
  for (const r of results) {
    for (const row of r.rows) rows.push(row);
    rowsAffected += r.rowsAffected;
    if (insertId === 0n && r.insertId !== 0n) insertId = r.insertId;
    warnings += r.warnings ?? 0;
  }
  return { fields, rows, rowsAffected, insertId, info: "", ...(warnings > 0 ? { warnings } : {}) };
}

/** Column offset: non-negative as is, negative counted from the end. */
export const resolveCol = (col: number, width: number): number => (col < 0 ? width + col : col);

/** Number of columns to keep: positive as is, negative drops that many from the end, undefined keeps all. */
export const keepCount = (n: number | undefined, width: number): number => (n === undefined ? width : n < 0 ? width + n : n);

/** A typed value of a row's column. */
export const cell = (row: Row, fields: readonly Field[], col: number): Value & { collation?: number } => {
  const f = fields[col];
  return f?.charset !== undefined && f.charset !== 63
    ? { type: f.type, raw: row[col] ?? null, collation: f.charset }
    : { type: f?.type ?? 0, raw: row[col] ?? null };
};

/** The comparison compareValues(cell(a, fields, col), cell(b, fields, col)) makes, on raw cells. */
export function columnCompare(fields: readonly Field[], col: number): CellCompare {
  const f = fields[col];
  return cellCompare(f?.type ?? 0, f?.charset !== undefined && f.charset !== 63 ? f.charset : undefined);
}

/** Sorts rows in place (stable) by the ORDER BY params over `fields`. */
export function sortRows(rows: Row[], fields: readonly Field[], orderBy: readonly OrderByParam[]): void {
  const keys = orderBy.map((o) => {
    const col = resolveCol(o.col, fields.length);
    return { col, desc: o.desc, cmp: columnCompare(fields, col) };
  });
  if (keys.length === 1) {
    const { col, desc, cmp } = keys[0]!;
    rows.sort(desc ? (a, b) => cmp(b[col], a[col]) : (a, b) => cmp(a[col], b[col]));
    return;
  }
  rows.sort((a, b) => {
    for (const k of keys) {
      const c = k.cmp(a[k.col], b[k.col]);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
}

/** Drops trailing helper columns. */
export function truncate(r: Result, n: number | undefined): Result {
  const keep = keepCount(n, r.fields.length);
  if (keep >= r.fields.length) return r;
  return { ...r, fields: r.fields.slice(0, keep), rows: r.rows.map((row) => row.slice(0, keep)) };
}

/** Throws 1203 (RESOURCE_EXHAUSTED) when an in-memory operator holds more rows than `max` (vtgate's --max_memory_rows). */
export function checkMemoryRows(count: number, max: number | undefined): void {
  if (max !== undefined && count > max) {
    throw new SqlError(1203, "42000", `in-memory row count exceeded allowed limit of ${max}`, "RESOURCE_EXHAUSTED");
  }
}
