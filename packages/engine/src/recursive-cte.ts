import { SqlError } from "@vt/errors";
import type { RecursiveCte } from "@vt/plan";
import { bindVar, isIntegral, isNumber, Type, type Field, type Row } from "@vt/sqltypes";
import type { BindVars } from "./vcursor.js";
import type { Executor } from "./executor.js";
import { cell, checkMemoryRows } from "./result-utils.js";
import { rowKey } from "./simple-executors.js";

/** MariaDB's default @@max_recursive_iterations. */
export const MAX_RECURSIVE_ITERATIONS = 1000;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** RecursiveCte: the anchor's rows, then the recursive part per new row, iteration by iteration (see the plan node). */
export const recursiveCteExecutor: Executor<RecursiveCte> = {
  async execute(node, vc, bindVars) {
    const anchor = await vc.run(node.anchor, bindVars);
    const fields = anchor.fields;
    const rows: Row[] = [];
    const seen = new Set<string>();
    const add = (candidates: readonly Row[]): Row[] => {
      const fresh: Row[] = [];
      for (const r of candidates) {
        const row = coerceRow(r, fields, rows.length + fresh.length + 1);
        if (node.distinct) {
          const k = rowKey(row, fields.length, fields);
          if (seen.has(k)) continue;
          seen.add(k);
        }
        fresh.push(row);
      }
      rows.push(...fresh);
      checkMemoryRows(rows.length, vc.maxMemoryRows);
      return fresh;
    };
    let working = add(anchor.rows);
    const max = node.maxIterations ?? sessionLimit(vc.session.systemVariable?.("max_recursive_iterations")) ?? MAX_RECURSIVE_ITERATIONS;
    for (let i = 0; i < max && working.length > 0; i++) {
      const produced: Row[] = [];
      for (const row of working) {
        const bv: BindVars = { ...bindVars };
        for (const [name, col] of Object.entries(node.vars)) bv[name] = bindVar(cell(row, fields, col));
        const r = await vc.run(node.recursive, bv);
        if (r.fields.length !== fields.length) {
          throw new SqlError(1222, "21000", "The used SELECT statements have a different number of columns", "INVALID_ARGUMENT");
        }
        produced.push(...r.rows);
        checkMemoryRows(rows.length + produced.length, vc.maxMemoryRows);
      }
      working = add(produced);
    }
    return { ...anchor, rows, rowsAffected: 0n };
  },
};

/** `SET max_recursive_iterations = n` as the session recorded it (a number, maybe quoted). */
function sessionLimit(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^'?(\d+)'?$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/** Bytes per character of a collation's character set (utf8mb4 4, utf8mb3 3, single-byte 1). */
function maxBytesPerChar(collation: number): number {
  if ([45, 46, 224].includes(collation) || (collation >= 224 && collation <= 247) || collation >= 2048) return 4;
  if ([33, 83].includes(collation) || (collation >= 192 && collation <= 215)) return 3;
  return 1;
}

/** A recursive row stored under the anchor's column types (`at` is its 1-based row number, for 1406). */
function coerceRow(row: Row, fields: readonly Field[], at: number): Row {
  return row.map((c, i) => {
    const f = fields[i];
    if (c === null || c === undefined || f === undefined) return c ?? null;
    if (isIntegral(f.type) && f.type !== Type.YEAR) {
      const s = dec.decode(c);
      return /^[-+]?\d+$/.test(s) ? c : enc.encode(roundToInteger(s));
    }
    if (!isNumber(f.type) && (f.type === Type.VARCHAR || f.type === Type.CHAR) && f.columnLength > 0) {
      const chars = [...dec.decode(c)].length;
      if (chars > Math.floor(f.columnLength / maxBytesPerChar(f.charset))) {
        throw new SqlError(1406, "22001", `Data too long for column '${f.name}' at row ${at}`, "INVALID_ARGUMENT");
      }
    }
    return c;
  });
}

/** Rounds a decimal/float text half away from zero, as MariaDB stores a number into an integer column. */
function roundToInteger(s: string): string {
  const n = Number(s);
  if (!Number.isFinite(n)) return s;
  const r = Math.sign(n) * Math.round(Math.abs(n));
  return Object.is(r, -0) ? "0" : BigInt(r).toString();
}
