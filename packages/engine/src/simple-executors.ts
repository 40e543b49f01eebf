// Executors for the small vtgate-side primitives: MemorySort, Limit, Distinct, Projection, Concatenate, Rows,
// SingleRow, Set.
import { compareBytes, evaluate, evaluateCount, generalCiWeightOf, isCaseInsensitive } from "@vt/evalengine";
import type { Concatenate, Distinct, Limit, MemorySort, Projection, Rows, Set, SingleRow } from "@vt/plan";
import { emptyResult, int64Value, isNumber, makeField, bindVar, type Field, type Row } from "@vt/sqltypes";
import type { Executor } from "./executor.js";
import { checkMemoryRows, columnCompare, keepCount, mergeResults, resolveCol, sortRows, truncate } from "./result-utils.js";

const enc = new TextEncoder();

/** Sorts the input in memory. */
export const memorySortExecutor: Executor<MemorySort> = {
  async execute(node, vc, bindVars) {
    const r = await vc.run(node.input, bindVars);
    checkMemoryRows(r.rows.length, vc.maxMemoryRows);
    const rows = [...r.rows];
    sortRows(rows, r.fields, node.orderBy);
    return truncate({ ...r, rows }, node.truncateColumnCount);
  },
};

/** Applies LIMIT/OFFSET; binds `__upper_limit` = count + offset for the input's shard queries. */
export const limitExecutor: Executor<Limit> = {
  async execute(node, vc, bindVars) {
    const count = evaluateCount(node.count, { bindVars });
    const offset = node.offset ? evaluateCount(node.offset, { bindVars }) : 0;
    const r = await vc.run(node.input, { ...bindVars, __upper_limit: bindVar(int64Value(count + offset)) });
    return { ...r, rows: r.rows.slice(offset, offset + count) };
  },
  async *stream(node, vc, bindVars) {
    const count = evaluateCount(node.count, { bindVars });
    let skip = node.offset ? evaluateCount(node.offset, { bindVars }) : 0;
    let left = count;
    for await (const r of vc.runStream(node.input, { ...bindVars, __upper_limit: bindVar(int64Value(count + skip)) })) {
      let rows = r.rows;
      if (skip > 0) { const n = Math.min(skip, rows.length); rows = rows.slice(n); skip -= n; }
      rows = rows.slice(0, left);
      left -= rows.length;
      if (rows.length > 0 || r.fields.length > 0) yield { ...r, rows };
      if (left <= 0) return;
    }
  },
};

/** The bytes as a latin1 string (one code unit per byte), without copying them. */
const latin1 = (c: Uint8Array): string =>
  (Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength)).toString("latin1");

/** Grouping key of a row's first n columns: text under a case-insensitive collation keys by its weight string. */
export const rowKey = (row: Row, n: number, fields: readonly Field[]): string => {
  let k = "";
  for (let i = 0; i < n; i++) {
    const c = row[i];
    const f = fields[i];
    if (c === null || c === undefined) k += "\u0001N";
    else if (f !== undefined && isCaseInsensitive(f.charset) && !isNumber(f.type)) k += `\u0001W${generalCiWeightOf(c)}`;
    else k += `\u0001V${latin1(c)}`;
  }
  return k;
};

/** Removes duplicate rows (by the first truncateColumnCount columns). */
export const distinctExecutor: Executor<Distinct> = {
  async execute(node, vc, bindVars) {
    const r = await vc.run(node.input, bindVars);
    checkMemoryRows(r.rows.length, vc.maxMemoryRows);
    const n = keepCount(node.truncateColumnCount, r.fields.length);
    const rows = distinctSorted(r.rows, n, r.fields) ?? distinctHashed(r.rows, n, r.fields);
    return truncate({ ...r, rows }, node.truncateColumnCount);
  },
};

/** Distinct rows by rowKey, first occurrence kept. */
export function distinctHashed(rows: readonly Row[], n: number, fields: readonly Field[]): Row[] {
  const seen = new globalThis.Set<string>();
  return rows.filter((row) => {
    const k = rowKey(row, n, fields);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * distinctHashed for rows already in order by their first n columns, all ascending or all descending (DISTINCT ...
 * ORDER BY pushed to the shards and merge-sorted), found by comparing neighbours instead of hashing every row: rows
 * with equal keys compare equal, so they sit in one run of equal-comparing rows, and a row is new unless its key
 * equals that of a row kept from its run. Undefined as soon as two neighbours are out of that order (the caller
 * then hashes).
 */
export function distinctSorted(rows: readonly Row[], n: number, fields: readonly Field[]): Row[] | undefined {
  if (n === 0) return rows.slice(0, 1);
  if (rows.length < 2) return [...rows];
  const cmps = Array.from({ length: n }, (_, i) => columnCompare(fields, i));
  const weighted = Array.from({ length: n }, (_, i) => {
    const f = fields[i];
    return f !== undefined && isCaseInsensitive(f.charset) && !isNumber(f.type) ? f.charset : undefined;
  });
  const out: Row[] = [rows[0]!];
  let run = 0;
  let prev = rows[0]!;
  let dir = 0;
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    let c = 0;
    for (let i = 0; i < n && c === 0; i++) c = cmps[i]!(prev[i], row[i]);
    prev = row;
    if (c !== 0) {
      if (dir === 0) dir = c;
      else if ((c < 0) !== (dir < 0)) return undefined;
      run = out.length;
      out.push(row);
      continue;
    }
    let dup = false;
    for (let j = run; j < out.length && !dup; j++) dup = sameKey(out[j]!, row, n, weighted);
    if (!dup) out.push(row);
  }
  return out;
}

/** rowKey(a) === rowKey(b), without building the keys. `weighted[i]` is the collation of a column keyed by weight. */
function sameKey(a: Row, b: Row, n: number, weighted: readonly (number | undefined)[]): boolean {
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === null || y === null) {
      if (x !== y) return false;
      continue;
    }
    const w = weighted[i];
    if (w !== undefined ? generalCiWeightOf(x) !== generalCiWeightOf(y) : compareBytes(x, y) !== 0) return false;
  }
  return true;
}

/** Keeps the listed columns. */
export const projectionExecutor: Executor<Projection> = {
  async execute(node, vc, bindVars) {
    const r = await vc.run(node.input, bindVars);
    const cols = node.cols.map((c) => resolveCol(c, r.fields.length));
    return { ...r, fields: cols.map((c) => r.fields[c]!), rows: r.rows.map((row) => cols.map((c) => row[c] ?? null)) };
  },
};

/** UNION ALL: runs each source in turn. */
export const concatenateExecutor: Executor<Concatenate> = {
  async execute(node, vc, bindVars) {
    const results = [];
    for (const s of node.sources) results.push(await vc.run(s, bindVars));
    return mergeResults(results);
  },
};

/** A constant result. */
export const rowsExecutor: Executor<Rows> = {
  async execute(node) {
    return {
      ...emptyResult(), fields: node.fields.map((f) => makeField(f.name, f.type)),
      rows: node.rows.map((r) => r.map((v) => (v === null ? null : enc.encode(v)))),
    };
  },
};

/** One row without columns. */
export const singleRowExecutor: Executor<SingleRow> = {
  async execute() {
    return { ...emptyResult(), rows: [[]] };
  },
};

/** SET: each assignment goes to SessionState.setVariable. */
export const setExecutor: Executor<Set> = {
  async execute(node, vc, bindVars) {
    for (const op of node.ops) {
      const value = op.value ? evaluate(op.value, { bindVars }) : undefined;
      await vc.session.setVariable(op.scope, op.name, value, op.expr);
    }
    return emptyResult();
  },
};
