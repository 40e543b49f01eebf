import { SqlError } from "@vt/errors";
import type { BindVariable, Value } from "./result.js";
import { Type } from "./type.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

export const makeValue = (type: number, raw: Uint8Array | null): Value => ({ type, raw });
export const nullValue = (): Value => ({ type: Type.NULL_TYPE, raw: null });
export const int64Value = (v: bigint | number): Value => ({ type: Type.INT64, raw: enc.encode(BigInt(v).toString()) });
export const uint64Value = (v: bigint | number): Value => ({ type: Type.UINT64, raw: enc.encode(BigInt(v).toString()) });
export const varcharValue = (s: string): Value => ({ type: Type.VARCHAR, raw: enc.encode(s) });
export const varbinaryValue = (b: Uint8Array): Value => ({ type: Type.VARBINARY, raw: b });
export const valueFromString = (type: number, s: string): Value => ({ type, raw: enc.encode(s) });

/** The value's text (UTF-8 decoded); "NULL" is never produced: returns null for NULL. */
export function valueToString(v: Value): string | null {
  return v.raw === null ? null : dec.decode(v.raw);
}

/** Parses an integral value exactly. Throws SqlError 1105 if the text is not an integer. */
export function valueToBigInt(v: Value): bigint {
  const s = valueToString(v);
  if (s === null || !/^[-+]?\d+$/.test(s.trim())) {
    throw new SqlError(1105, "HY000", `could not parse value: '${s}'`, "INVALID_ARGUMENT");
  }
  return BigInt(s.trim());
}

/** A scalar bind variable from a Value (NULL becomes a NULL_TYPE bind var with empty bytes). */
export function bindVar(v: Value): BindVariable {
  return v.raw === null ? { type: Type.NULL_TYPE, value: new Uint8Array(0), values: [] } : { type: v.type, value: v.raw, values: [] };
}
