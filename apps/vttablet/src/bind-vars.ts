import { SqlError } from "@vt/errors";
import type { BindVariable } from "@vt/sqltypes";
import { Type, isIntegral, isFloat } from "@vt/sqltypes";

const dec = new TextDecoder();
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A scalar as a SQL literal: numbers bare (validated), NULL, hex/bit literals bare, everything else quoted. */
export function sqlLiteral(type: number, value: Uint8Array): string {
  if (type === Type.NULL_TYPE) return "NULL";
  if (isIntegral(type) || isFloat(type) || type === Type.DECIMAL) {
    const s = dec.decode(value);
    if (!NUMERIC.test(s)) throw new SqlError(1105, "HY000", `invalid number in bind variable: ${JSON.stringify(s)}`, "INVALID_ARGUMENT");
    return s;
  }
  if (type === Type.HEXNUM || type === Type.HEXVAL || type === Type.BITNUM) {
    const s = dec.decode(value);
    if (!/^(0x[0-9a-fA-F]+|[xX]'[0-9a-fA-F]*'|0b[01]+|[bB]'[01]*')$/.test(s)) {
      throw new SqlError(1105, "HY000", `invalid hex/bit literal in bind variable: ${JSON.stringify(s)}`, "INVALID_ARGUMENT");
    }
    return s;
  }
  if (type === Type.EXPRESSION) return dec.decode(value);
  if (type === Type.BIT) return `X'${Buffer.from(value).toString("hex")}'`;
  return quoteBytes(value);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const ESCAPES: Record<string, string> = { "\0": "\\0", "\n": "\\n", "\r": "\\r", "\x1a": "\\Z", '"': '\\"', "'": "\\'", "\\": "\\\\" };

/**
 * Quotes bytes as a MySQL string literal. Valid UTF-8 becomes a single-quoted string with \0 \n \r \\ ' " and \x1a
 * escaped (as mysql_real_escape_string does); other bytes become a hex literal X'..', so binary values survive the
 * UTF-8 SQL text. Requires the connection not to run with NO_BACKSLASH_ESCAPES.
 */
export function quoteBytes(value: Uint8Array): string {
  let s: string;
  try {
    s = strictUtf8.decode(value);
  } catch {
    return `X'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}'`;
  }
  return "'" + s.replace(/[\0\n\r\x1a"'\\]/g, (c) => ESCAPES[c] ?? c) + "'";
}

function encodeBindVar(name: string, bv: BindVariable, list: boolean): string {
  if (bv.type === Type.TUPLE) {
    if (bv.values.length === 0) throw new SqlError(1105, "HY000", `empty list supplied for ${name}`, "INVALID_ARGUMENT");
    return "(" + bv.values.map((v) => sqlLiteral(v.type, v.value)).join(", ") + ")";
  }
  if (list) throw new SqlError(1105, "HY000", `unexpected arg type (${bv.type}) for key ${name}`, "INVALID_ARGUMENT");
  return sqlLiteral(bv.type, bv.value);
}

const isStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdent = (c: number) => isStart(c) || (c >= 48 && c <= 57) || c === 46;

/** Index just past the quoted token starting at i (quote char code q), honouring backslash escapes and doubled quotes. */
function skipQuoted(sql: string, i: number, q: number): number {
  for (let j = i + 1; j < sql.length; j++) {
    const c = sql.charCodeAt(j);
    if (c === 92 && q !== 96) { j++; continue; } // backslash (not inside `identifiers`)
    if (c === q) {
      if (sql.charCodeAt(j + 1) === q) { j++; continue; }
      return j + 1;
    }
  }
  return sql.length;
}

/** Index just past a comment starting at i (`#`, `-- `, `/* *\/`), or i if there is none. */
function skipComment(sql: string, i: number, c: number): number {
  if (c === 35 || (c === 45 && sql.charCodeAt(i + 1) === 45 && (i + 2 >= sql.length || /\s/.test(sql[i + 2]!)))) {
    const nl = sql.indexOf("\n", i);
    return nl < 0 ? sql.length : nl + 1;
  }
  if (c === 47 && sql.charCodeAt(i + 1) === 42) {
    const end = sql.indexOf("*/", i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  return i;
}

/**
 * Substitutes `:name` (scalar or tuple) and `::name` (tuple only) placeholders with SQL literals. Placeholders inside
 * quotes, identifiers and comments are left alone; `:=` is not a placeholder.
 * Throws SqlError 1105/INVALID_ARGUMENT on a missing bind variable or a malformed value.
 */
export function substituteBindVars(sql: string, bindVars: Readonly<Record<string, BindVariable>>): string {
  if (sql.indexOf(":") < 0) return sql;
  let out = "";
  let last = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql.charCodeAt(i);
    // Only " # ' - / : ` can start a quote, comment or placeholder: everything else is skipped with one compare or two.
    if (c > 58 ? c !== 96 : c !== 58 && c !== 39 && c !== 34 && c !== 35 && c !== 45 && c !== 47) { i++; continue; }
    if (c === 39 || c === 34 || c === 96) { i = skipQuoted(sql, i, c); continue; }
    if (c !== 58) {
      const after = skipComment(sql, i, c);
      i = after !== i ? after : i + 1;
      continue;
    }
    const list = sql.charCodeAt(i + 1) === 58;
    let j = i + (list ? 2 : 1);
    if (!isStart(sql.charCodeAt(j))) { i = j; continue; }
    while (j < n && isIdent(sql.charCodeAt(j))) j++;
    const name = sql.slice(i + (list ? 2 : 1), j);
    const bv = bindVars[name];
    if (bv === undefined) throw new SqlError(1105, "HY000", `missing bind var ${name}`, "INVALID_ARGUMENT");
    out += sql.slice(last, i) + encodeBindVar(name, bv, list);
    last = i = j;
  }
  return last === 0 ? sql : out + sql.slice(last);
}
