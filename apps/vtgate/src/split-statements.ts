import { tokenize } from "@vt/sqlparser";

/**
 * Splits multi-statement text at top-level `;` (never inside strings, identifiers or comments), dropping empty
 * pieces. A text without `;` comes back as one piece without tokenizing.
 */
export function splitStatements(sql: string): string[] {
  if (!sql.includes(";")) return [sql];
  const out: string[] = [];
  let from = 0;
  for (const t of tokenize(sql)) {
    if (t.type === "punct" && sql.charCodeAt(t.start) === 59 /* ; */) {
      out.push(sql.slice(from, t.start));
      from = t.end;
    }
  }
  out.push(sql.slice(from));
  return out.filter((s) => s.trim() !== "");
}
