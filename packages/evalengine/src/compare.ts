import { isFloat, isNumber, Type, type Value } from "@vt/sqltypes";
import { compareBytes, compareCollated, compareGeneralCi, isCaseInsensitive } from "./collation.js";
import { compareDecimal, parseDecimal } from "./decimal.js";

const dec = new TextDecoder();

/** A value with the collation id of its column (Field.charset), when known. */
export type CollatedValue = Value & { readonly collation?: number };

/**
 * Orders two values as MySQL would for ORDER BY / MIN / MAX / GROUP BY: NULL first; numbers numerically (exact for
 * integers and decimals, floats via double); TIME by signed duration; text under its collation (general_ci: case-
 * and accent-insensitive, trailing spaces ignored); everything else by bytes.
 */
export function compareValues(a: CollatedValue, b: CollatedValue): number {
  if (a.raw === null || b.raw === null) return a.raw === null ? (b.raw === null ? 0 : -1) : 1;
  if (isNumber(a.type) && isNumber(b.type)) return compareNumeric(dec.decode(a.raw), dec.decode(b.raw), isFloat(a.type) || isFloat(b.type));
  if (a.type === Type.TIME && b.type === Type.TIME) return compareTime(dec.decode(a.raw), dec.decode(b.raw));
  if (a.type === b.type && a.collation !== undefined) return compareCollated(a.raw, b.raw, a.collation);
  return compareBytes(a.raw, b.raw);
}

/** Orders two raw cells of one column; what compareValues gives for them as that column's values. */
export type CellCompare = (a: Uint8Array | null | undefined, b: Uint8Array | null | undefined) => number;

/**
 * The comparison compareValues makes between two values of one column (same `type`, same `collation`), chosen once
 * per column so a sort or merge compares raw cells without building a Value per comparison.
 */
export function cellCompare(type: number, collation: number | undefined): CellCompare {
  let cmp: (a: Uint8Array, b: Uint8Array) => number;
  if (isNumber(type)) {
    const float = isFloat(type);
    cmp = (a, b) => compareNumeric(dec.decode(a), dec.decode(b), float);
  } else if (type === Type.TIME) {
    cmp = (a, b) => compareTime(dec.decode(a), dec.decode(b));
  } else if (collation !== undefined && isCaseInsensitive(collation)) {
    cmp = compareGeneralCi;
  } else {
    cmp = compareBytes;
  }
  return (a, b) => {
    if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
    if (b === null || b === undefined) return 1;
    return cmp(a, b);
  };
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

/** `-838:59:59.000000` style TIME text → comparable microseconds. */
function timeMicros(s: string): number {
  const neg = s.startsWith("-");
  const [h = "0", m = "0", rest = "0"] = (neg ? s.slice(1) : s).split(":");
  const [sec = "0", frac = ""] = rest.split(".");
  const v = ((Number(h) * 60 + Number(m)) * 60 + Number(sec)) * 1e6 + Number((frac + "000000").slice(0, 6));
  return neg ? -v : v;
}

function compareTime(x: string, y: string): number {
  const a = timeMicros(x);
  const b = timeMicros(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Equality under compareValues (NULL = NULL here, as GROUP BY treats it). */
export const valuesEqual = (a: CollatedValue, b: CollatedValue): boolean => compareValues(a, b) === 0;
