// A hand-written MySQL lexer. It is what vtgate runs on every query (normalize, directives, bind-variable
// substitution), so it never builds an AST and touches each character once.

/** Token classes. Keywords are reported as "ident" (compare `lower`). */
export type TokenType =
  | "ident" | "quotedIdent" | "string" | "int" | "decimal" | "float" | "hexnum" | "hex" | "bit"
  | "arg" | "listArg" | "question" | "comment" | "op" | "punct";

/** One token: its class and [start, end) offsets into the source. */
export interface Token {
  readonly type: TokenType;
  readonly start: number;
  readonly end: number;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 || c === 36 || c >= 128;
const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** Thrown for unterminated strings/comments; the caller maps it to a syntax error. */
export class LexError extends Error {
  override readonly name = "LexError";
  constructor(readonly position: number, message: string) { super(message); }
}

/**
 * Splits `sql` into tokens (whitespace dropped, comments kept as "comment").
 * Throws LexError for an unterminated quote or comment.
 */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) { i++; continue; }
    const start = i;
    const next = i + 1 < n ? sql.charCodeAt(i + 1) : 0;
    if (c === 35 || (c === 45 && next === 45 && (i + 2 >= n || isSpace(sql.charCodeAt(i + 2))))) {
      while (i < n && sql.charCodeAt(i) !== 10) i++;
      out.push({ type: "comment", start, end: i });
      continue;
    }
    if (c === 47 && next === 42) {
      const close = sql.indexOf("*/", i + 2);
      if (close < 0) throw new LexError(i, "unterminated comment");
      i = close + 2;
      out.push({ type: "comment", start, end: i });
      continue;
    }
    if (c === 39 || c === 34) { i = skipQuoted(sql, i, c); out.push({ type: "string", start, end: i }); continue; }
    if (c === 96) { i = skipQuoted(sql, i, c); out.push({ type: "quotedIdent", start, end: i }); continue; }
    if ((c === 120 || c === 88 || c === 98 || c === 66) && next === 39) {
      i = skipQuoted(sql, i + 1, 39);
      out.push({ type: c === 120 || c === 88 ? "hex" : "bit", start, end: i });
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(next))) { i = lexNumber(sql, i, out); continue; }
    if (isIdentChar(c)) {
      while (i < n && isIdentChar(sql.charCodeAt(i))) i++;
      out.push({ type: "ident", start, end: i });
      continue;
    }
    if (c === 58 && (next === 58 || isIdentChar(next))) {
      const list = next === 58;
      i += list ? 2 : 1;
      while (i < n && isIdentChar(sql.charCodeAt(i))) i++;
      out.push({ type: list ? "listArg" : "arg", start, end: i });
      continue;
    }
    if (c === 63) { i++; out.push({ type: "question", start, end: i }); continue; }
    if (c === 40 || c === 41 || c === 44 || c === 59 || c === 46) { i++; out.push({ type: "punct", start, end: i }); continue; }
    i = lexOperator(sql, i);
    out.push({ type: "op", start, end: i });
  }
  return out;
}

function skipQuoted(sql: string, i: number, q: number): number {
  const n = sql.length;
  for (let j = i + 1; j < n; j++) {
    const c = sql.charCodeAt(j);
    if (c === 92 && q !== 96) { j++; continue; }
    if (c === q) {
      if (j + 1 < n && sql.charCodeAt(j + 1) === q) { j++; continue; }
      return j + 1;
    }
  }
  throw new LexError(i, "unterminated quoted string");
}

function lexNumber(sql: string, i: number, out: Token[]): number {
  const n = sql.length;
  const start = i;
  if (sql.charCodeAt(i) === 48 && (sql[i + 1] === "x" || sql[i + 1] === "X") && isHex(sql.charCodeAt(i + 2))) {
    i += 2;
    while (i < n && isHex(sql.charCodeAt(i))) i++;
    out.push({ type: "hexnum", start, end: i });
    return i;
  }
  let type: TokenType = "int";
  while (i < n && isDigit(sql.charCodeAt(i))) i++;
  if (sql.charCodeAt(i) === 46) { type = "decimal"; i++; while (i < n && isDigit(sql.charCodeAt(i))) i++; }
  const e = sql.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    if (sql[j] === "+" || sql[j] === "-") j++;
    if (isDigit(sql.charCodeAt(j))) { type = "float"; i = j; while (i < n && isDigit(sql.charCodeAt(i))) i++; }
  }
  if (i < n && isIdentChar(sql.charCodeAt(i)) && type === "int") {
    // An identifier starting with digits (e.g. 1abc) is an identifier in MySQL.
    while (i < n && isIdentChar(sql.charCodeAt(i))) i++;
    out.push({ type: "ident", start, end: i });
    return i;
  }
  out.push({ type, start, end: i });
  return i;
}

/**
 * The end of the operator at `i`: `<=>` and `->>`; `<=`, `>=`, `<>`, `!=`, `<<`, `>>`, `&&`, `||`, `:=`, `->`; else one
 * character. Decided on character codes (no substring per operator).
 */
function lexOperator(sql: string, i: number): number {
  const d = sql.charCodeAt(i + 1);
  switch (sql.charCodeAt(i)) {
    case 60: // <
      if (d === 61) return sql.charCodeAt(i + 2) === 62 ? i + 3 : i + 2; // <=> <=
      return d === 62 || d === 60 ? i + 2 : i + 1; // <> <<
    case 62: return d === 61 || d === 62 ? i + 2 : i + 1; // >= >>
    case 33: return d === 61 ? i + 2 : i + 1; // !=
    case 38: return d === 38 ? i + 2 : i + 1; // &&
    case 124: return d === 124 ? i + 2 : i + 1; // ||
    case 58: return d === 61 ? i + 2 : i + 1; // :=
    case 45: // -
      if (d === 62) return sql.charCodeAt(i + 2) === 62 ? i + 3 : i + 2; // ->> ->
      return i + 1;
    default: return i + 1;
  }
}

/** The unquoted text of a string or quoted-identifier token (MySQL escapes and doubled quotes resolved). */
export function unquote(text: string): string {
  const q = text[0];
  const body = text.slice(1, -1);
  if (q === "`") return body.replaceAll("``", "`");
  if (!body.includes("\\") && !body.includes(q!)) return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\\" && i + 1 < body.length) {
      const e = body[++i]!;
      out += ESCAPES[e] ?? e;
    } else if (ch === q && body[i + 1] === q) {
      out += ch;
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

const ESCAPES: Record<string, string> = {
  "0": "\0", "'": "'", "\"": "\"", b: "\b", n: "\n", r: "\r", t: "\t", Z: "\x1a", "\\": "\\", "%": "\\%", _: "\\_",
};
