import type { Result } from "@vt/sqltypes";

const dec = new TextDecoder();

/** Rows of a result as objects keyed by column name, values decoded as UTF-8 text (null for NULL). For admin queries. */
export function rowsAsObjects(r: Result): Record<string, string | null>[] {
  return r.rows.map((row) => {
    const o: Record<string, string | null> = {};
    r.fields.forEach((f, i) => { const v = row[i]; o[f.name] = v == null ? null : dec.decode(v); });
    return o;
  });
}

/** Quotes an identifier with backticks. */
export const quoteIdent = (s: string): string => "`" + s.replace(/`/g, "``") + "`";

/** Quotes a string literal (for admin statements built from flags). */
export const quoteString = (s: string): string => "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
