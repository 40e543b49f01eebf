// Null-safe ordering of Values: NULL first, numbers numerically, everything else bytewise.
import { type Value, isNumber } from "@vt/sqltypes";

const dec = new TextDecoder();

/** Compares two values as Vitess's NullsafeCompare roughly does (numeric when both are numeric, else bytes). */
export function compareValues(a: Value, b: Value): number {
  if (a.raw === null || b.raw === null) return a.raw === null ? (b.raw === null ? 0 : -1) : 1;
  if (isNumber(a.type) && isNumber(b.type)) {
    const x = dec.decode(a.raw);
    const y = dec.decode(b.raw);
    if (/^-?\d+$/.test(x) && /^-?\d+$/.test(y)) {
      const d = BigInt(x) - BigInt(y);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    }
    const d = Number(x) - Number(y);
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  }
  return Buffer.compare(a.raw, b.raw);
}
