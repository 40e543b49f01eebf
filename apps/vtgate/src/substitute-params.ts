import { encodeValueSQL, tokenize } from "@vt/sqlparser";
import type { Value } from "@vt/sqltypes";

/** Number of `?` placeholders (outside strings and comments). */
export function countParams(sql: string): number {
  if (!sql.includes("?")) return 0;
  return tokenize(sql).filter((t) => t.type === "question").length;
}

/** Replaces each `?` placeholder (outside strings/comments) with the SQL literal of its parameter. */
export function substituteParams(sql: string, params: readonly Value[]): string {
  if (params.length === 0) return sql;
  let out = "";
  let from = 0;
  let i = 0;
  for (const t of tokenize(sql)) {
    if (t.type !== "question") continue;
    const p = params[i++];
    if (p === undefined) break;
    out += sql.slice(from, t.start) + encodeValueSQL(p.type, p.raw);
    from = t.end;
  }
  return out + sql.slice(from);
}
