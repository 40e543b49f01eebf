import { isNumber, isFloat, type Value } from "@vt/sqltypes";
import { compareDecimal, parseDecimal } from "./decimal.js";

const dec = new TextDecoder();

/**
 * Orders two values as MySQL would for ORDER BY / MIN / MAX: NULL first; numbers numerically (exact for integers and
 * decimals, floats via double); everything else by bytes (binary collation — text collations are the shard's job).
 */
export function compareValues(a: Value, b: Value): number {
  if (a.raw === null || b.raw === null) return a.raw === null ? (b.raw === null ? 0 : -1) : 1;
  if (isNumber(a.type) && isNumber(b.type)) return compareNumeric(dec.decode(a.raw), dec.decode(b.raw), isFloat(a.type) || isFloat(b.type));
  return compareBytes(a.raw, b.raw);
}

function compareNumeric(x: string, y: string, float: boolean): number {
  if (!float) {
    const dx = parseDecimal(x);
    const dy = parseDecimal(y);
    if (dx && dy) return compareDecimal(dx, dy);
  }
  const fx = Number(x);
  const fy = Number(y);
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Equality under compareValues (NULL = NULL here, as GROUP BY treats it). */
export const valuesEqual = (a: Value, b: Value): boolean => compareValues(a, b) === 0;
