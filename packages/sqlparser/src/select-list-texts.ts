// Raw source text of the top-level SELECT's select expressions. MariaDB names an unaliased expression column after
// the text as written (`COUNT(*)`, `1+1`, `GROUP_CONCAT(code ORDER BY code)`); our formatter prints canonical SQL,
// so the parser records the written text and uses it as the column's alias.
import type { Token } from "./lexer.js";

const MODIFIERS = new Set([
  "distinct", "all", "distinctrow", "sql_calc_found_rows", "straight_join", "sql_no_cache", "sql_cache",
  "high_priority", "sql_small_result", "sql_big_result", "sql_buffer_result",
]);
const LIST_END = new Set(["from", "into", "where", "group", "having", "order", "limit", "window", "for", "lock", "union", "procedure", "except", "intersect"]);

/**
 * Finds the select list of the outermost SELECT (the first `select` at the lowest parenthesis depth, after any WITH
 * clause) and returns the source text of each comma-separated item, as [start, end) offsets into `sql`.
 */
export function selectListTexts(sql: string, tokens: readonly Token[]): string[] {
  const lower = (t: Token): string => (t.type === "ident" ? sql.slice(t.start, t.end).toLowerCase() : "");
  const text = (t: Token): string => sql.slice(t.start, t.end);
  let depth = 0;
  let best = -1;
  let bestDepth = Infinity;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === "punct" && text(t) === "(") depth++;
    else if (t.type === "punct" && text(t) === ")") depth--;
    else if (lower(t) === "select" && depth < bestDepth) {
      // A CTE body sits inside parentheses after `AS`; a top-level SELECT has the lowest depth.
      best = i;
      bestDepth = depth;
    }
  }
  if (best < 0) return [];
  let i = best + 1;
  while (i < tokens.length && MODIFIERS.has(lower(tokens[i]!))) i++;
  const out: string[] = [];
  let d = 0;
  let itemStart = i;
  const push = (end: number): void => {
    if (end > itemStart) out.push(sql.slice(tokens[itemStart]!.start, tokens[end - 1]!.end));
  };
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    const s = text(t);
    if (t.type === "punct" && s === "(") d++;
    else if (t.type === "punct" && s === ")") {
      if (d === 0) break;
      d--;
    } else if (d === 0 && t.type === "punct" && s === ",") {
      push(i);
      itemStart = i + 1;
    } else if (d === 0 && LIST_END.has(lower(t))) break;
    else if (d === 0 && t.type === "punct" && s === ";") break;
  }
  push(i);
  return out;
}

/**
 * The column name MariaDB gives an unaliased select item written as `text`, or undefined when our shard query
 * already yields that name (plain columns, literals). The trailing alias (if any) is not part of `text`'s meaning:
 * callers use this only for items without an alias.
 */
export function implicitColumnName(text: string): string | undefined {
  const t = text.trim();
  if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(t) || /^`/.test(t)) return undefined;
  if (/^'(?:[^'\\]|\\.|'')*'$/.test(t) || /^"(?:[^"\\]|\\.|"")*"$/.test(t)) return undefined;
  if (/^-?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(t)) return undefined;
  return t.length > 256 ? t.slice(0, 256) : t;
}
