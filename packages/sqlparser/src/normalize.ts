import { SqlError } from "@vt/errors";
import { Type, type BindVariable } from "@vt/sqltypes";
import { parseDirectiveComment, type Directives } from "./directives.js";
import { LexError, tokenize, unquote, type Token } from "./lexer.js";
import { syntaxError } from "./syntax-error.js";

/** Output of normalize(): the plan-cache key text, the literal values it took out, and the query's directives. */
export interface Normalized {
  /** Query text with literals replaced by `:vtgN`, `/*vt+ *\/` and plain comments dropped, whitespace collapsed. */
  readonly normalized: string;
  /** `vtgN` → value of the literal it replaced. */
  readonly bindVars: Record<string, BindVariable>;
  /** `/*vt+ ... *\/` comment directives. */
  readonly directives: Directives;
  /** Lower-case first keyword ("select", "insert", "use", ...), "" for an empty query. */
  readonly firstKeyword: string;
}

const enc = new TextEncoder();
const NORMALIZED_STATEMENTS = new Set(["select", "insert", "update", "delete", "replace", "("]);
const END_BY_LIST = new Set(["limit", "having", "union", "for", "lock", "into", "window", "procedure", "order", "with"]);
const NO_NORMALIZE_AFTER = new Set(["date", "time", "timestamp", "collate", "binary", "n", "separator"]);
const SELECT_LIST_END = new Set(["from", "into", "where", "group", "having", "order", "limit", "window", "for", "lock", "union", "procedure"]);
const VALUE_PRECEDERS = new Set(["ident", "quotedIdent", "string", "int", "decimal", "float", "hexnum", "hex", "bit", "arg", "listArg", "question"]);
const INT64_MAX = 9223372036854775807n;
const UINT64_MAX = 18446744073709551615n;

/**
 * Normalizes a query without parsing it: replaces literals with `:vtgN` bind variables (SELECT/INSERT/UPDATE/DELETE
 * only; other statements keep their literals), extracts `/*vt+ *\/` directives, and drops comments.
 * Positional ORDER BY / GROUP BY integers, `_charset'..'` and typed literals (`date '..'`) are kept as text.
 * Throws SqlError 1064 for an unterminated string or comment.
 */
export function normalize(sql: string): Normalized {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch (e) {
    if (e instanceof LexError) throw syntaxError(sql, e.position);
    throw SqlError.from(e);
  }
  let directives: Record<string, string> | undefined;
  let kept = tokens;
  if (tokens.some((t) => t.type === "comment")) {
    kept = [];
    for (const t of tokens) {
      if (t.type !== "comment") { kept.push(t); continue; }
      const text = sql.slice(t.start, t.end);
      const d = parseDirectiveComment(text);
      if (d) directives = Object.assign(directives ?? {}, d);
      else if (text.startsWith("/*!") || text.startsWith("/*+")) kept.push(t);
    }
  }
  const first = kept[0];
  const firstKeyword = first === undefined ? "" : sql.slice(first.start, first.end).toLowerCase();
  const doNormalize = NORMALIZED_STATEMENTS.has(firstKeyword);
  const bindVars: Record<string, BindVariable> = {};
  const normalized = rewrite(sql, kept, doNormalize, bindVars);
  return { normalized, bindVars, directives: directives ?? NO_DIRECTIVES, firstKeyword };
}

/** The directives of a statement without any (shared): callers may compare with it to skip directive lookups. */
export const NO_DIRECTIVES: Directives = Object.freeze({});

/** `vtgN` for the first N above `counter` not already used by an `:arg` of the query. */
function nextBindName(counter: number, used: ReadonlySet<string> | undefined): string {
  let name = `vtg${counter}`;
  while (used?.has(name)) name = `vtg${++counter}`;
  return name;
}

/** The normalized text of `tokens`; the literals it takes out go to `bindVars`. */
function rewrite(sql: string, tokens: Token[], doNormalize: boolean, bindVars: Record<string, BindVariable>): string {
  let used: Set<string> | undefined;
  for (const t of tokens) if (t.type === "arg") (used ??= new Set()).add(sql.slice(t.start + 1, t.end));
  let counter = 0;
  let out = "";
  let prevEnd = -1;
  let byList = false;
  let depth = 0;
  let byDepth = 0;
  let prevLower = "";
  // Depths of the select lists we are in: their literals stay as written (they name the result columns).
  const selectLists: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    let text = sql.slice(t.start, t.end);
    let gap = prevEnd >= 0 && t.start > prevEnd;
    let lower = "";
    if (t.type === "punct") {
      if (text === "(") depth++;
      else if (text === ")") {
        depth--;
        if (byList && depth < byDepth) byList = false;
        while (selectLists.length > 0 && depth < selectLists[selectLists.length - 1]!) selectLists.pop();
      }
    } else if (t.type === "ident" && text.length <= 12) {
      lower = text.toLowerCase();
      if (lower === "by" && (prevLower === "order" || prevLower === "group")) { byList = true; byDepth = depth; }
      else if (END_BY_LIST.has(lower)) byList = false;
      if (lower === "select") selectLists.push(depth);
      else if (SELECT_LIST_END.has(lower) && selectLists[selectLists.length - 1] === depth) selectLists.pop();
    }
    if (doNormalize && isLiteral(t) && selectLists.length === 0 && !skipLiteral(t, sql, prev, prevLower, byList)) {
      let negative = false;
      if (prev && prev.type === "op" && sql.slice(prev.start, prev.end) === "-" && isNumeric(t) && unaryMinus(sql, tokens[i - 2])) {
        negative = true;
        out = out.slice(0, -1);
        gap = false;
      }
      const name = nextBindName(counter + 1, used);
      counter = Number(name.slice(3));
      bindVars[name] = literalBindVar(t, text, negative);
      text = `:${name}`;
    }
    if (gap && out.length > 0) out += " ";
    out += text;
    prevEnd = t.end;
    prevLower = lower;
  }
  return out;
}

const isLiteral = (t: Token): boolean =>
  t.type === "string" || t.type === "int" || t.type === "decimal" || t.type === "float" || t.type === "hex";
const isNumeric = (t: Token): boolean => t.type === "int" || t.type === "decimal" || t.type === "float";

function skipLiteral(t: Token, sql: string, prev: Token | undefined, prevLower: string, byList: boolean): boolean {
  if (prevLower.startsWith("_") || NO_NORMALIZE_AFTER.has(prevLower)) return true;
  if (byList && t.type === "int" && prev && (prevLower === "by" || sql.slice(prev.start, prev.end) === ",")) return true;
  return false;
}

/** A `-` is a sign (not subtraction) when what precedes it cannot end an operand. */
function unaryMinus(sql: string, before: Token | undefined): boolean {
  if (!before) return true;
  if (before.type === "punct") return sql.slice(before.start, before.end) !== ")";
  if (before.type === "op") return true;
  if (before.type === "ident") {
    const w = sql.slice(before.start, before.end).toLowerCase();
    return ["select", "where", "and", "or", "not", "in", "values", "value", "set", "by", "limit", "offset", "between",
      "when", "then", "else", "like", "is", "on", "having", "return", "xor", "div", "mod", "interval"].includes(w);
  }
  return !VALUE_PRECEDERS.has(before.type);
}

function bv(type: number, s: string | Uint8Array): BindVariable {
  return { type, value: typeof s === "string" ? utf8(s) : s, values: [] };
}

/** UTF-8 bytes of `s`; short ASCII text (the usual literal) without a TextEncoder call. */
function utf8(s: string): Uint8Array {
  if (s.length > 64) return enc.encode(s);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return enc.encode(s);
    out[i] = c;
  }
  return out;
}

function literalBindVar(t: Token, text: string, negative: boolean): BindVariable {
  switch (t.type) {
    case "string": return bv(Type.VARCHAR, unquote(text));
    case "hex": return bv(Type.VARBINARY, hexBytes(text.slice(2, -1)));
    case "decimal": return bv(Type.DECIMAL, (negative ? "-" : "") + text);
    case "float": return bv(Type.FLOAT64, (negative ? "-" : "") + text);
    default: {
      if (text.length < 19) return bv(Type.INT64, negative ? `-${text}` : text);
      const n = BigInt(text) * (negative ? -1n : 1n);
      const type = n <= INT64_MAX && n >= -INT64_MAX - 1n ? Type.INT64 : n <= UINT64_MAX && n >= 0n ? Type.UINT64 : Type.DECIMAL;
      return bv(type, n.toString());
    }
  }
}

/** Decodes hex digits (odd length gets a leading 0, as MySQL does). */
export function hexBytes(hex: string): Uint8Array {
  const h = hex.length % 2 === 1 ? `0${hex}` : hex;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}
