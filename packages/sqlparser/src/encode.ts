import { Type, isQuoted, type BindVariable, type Value } from "@vt/sqltypes";

const dec = new TextDecoder();

/** MySQL string-literal escaping (as Vitess's EncodeStringSQL): quotes, backslash, NUL, newline, CR, ^Z. */
export function quoteString(s: string): string {
  let out = "'";
  for (const ch of s) {
    switch (ch) {
      case "'": out += "\\'"; break;
      case "\\": out += "\\\\"; break;
      case "\0": out += "\\0"; break;
      case "\n": out += "\\n"; break;
      case "\r": out += "\\r"; break;
      case "\x1a": out += "\\Z"; break;
      default: out += ch;
    }
  }
  return out + "'";
}

/** Renders bytes as a MySQL hex literal `X'..'`. */
export function hexLiteral(b: Uint8Array): string {
  let s = "X'";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s + "'";
}

/** SQL text of one typed value: numbers verbatim, strings quoted, binary as X'..' when not UTF-8 text. */
export function encodeValueSQL(type: number, raw: Uint8Array | null): string {
  if (raw === null || type === Type.NULL_TYPE) return "null";
  if (type === Type.HEXNUM || type === Type.HEXVAL || type === Type.BITNUM || type === Type.EXPRESSION) return dec.decode(raw);
  if (!isQuoted(type)) return dec.decode(raw);
  if (type === Type.VARBINARY || type === Type.BINARY || type === Type.BLOB) {
    const s = dec.decode(raw);
    if (s.includes("\uFFFD")) return hexLiteral(raw);
    return quoteString(s);
  }
  return quoteString(dec.decode(raw));
}

/** SQL text of a Value. */
export const valueSQL = (v: Value): string => encodeValueSQL(v.type, v.raw);

/** SQL text of a bind variable: a scalar, or `(a, b, ...)` for a TUPLE. */
export function bindVarSQL(bv: BindVariable): string {
  if (bv.type === Type.TUPLE) return `(${bv.values.map((v) => encodeValueSQL(v.type, v.value)).join(", ")})`;
  return encodeValueSQL(bv.type, bv.type === Type.NULL_TYPE ? null : bv.value);
}
