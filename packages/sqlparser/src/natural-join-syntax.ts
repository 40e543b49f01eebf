import type { Words } from "./vitess-syntax.js";
import type { TextEdit } from "./window-syntax.js";

/** The USING list that marks a NATURAL join for node-sql-parser, which has no NATURAL JOIN. */
export const NATURAL_MARKER = "__vt_natural__";

const STOP = new Set(["on", "using", "where", "join", "inner", "cross", "left", "right", "natural", "straight_join", "group",
  "order", "limit", "having", "window", "union", "for", "lock", "into", "procedure"]);

/**
 * Text edits that let node-sql-parser read `a NATURAL [LEFT|RIGHT] [OUTER] JOIN b [[AS] x]`: the NATURAL word goes
 * and `USING (__vt_natural__)` follows the right table; the converter turns that back into join "natural ... join".
 * Right sides other than a (qualified) table name with an optional alias are left alone (and fail to parse).
 */
export function naturalJoinEdits(w: Words): TextEdit[] {
  const out: TextEdit[] = [];
  const t = w.tokens;
  for (let i = 0; i < t.length; i++) {
    if (w.lower[i] !== "natural" || t[i]!.type !== "ident") continue;
    let k = i + 1;
    if (w.lower[k] === "left" || w.lower[k] === "right") k++;
    if (w.lower[k] === "outer") k++;
    if (w.lower[k] !== "join") continue;
    let j = k + 1;
    const isName = (n: number): boolean => t[n] !== undefined && (t[n]!.type === "quotedIdent" || (t[n]!.type === "ident" && !STOP.has(w.lower[n]!)));
    if (!isName(j)) continue;
    j++;
    if (w.lower[j] === "." && isName(j + 1)) j += 2;
    if (w.lower[j] === "as" && isName(j + 1)) j += 2;
    else if (isName(j)) j++;
    const last = t[j - 1]!; // rewritten as itself plus the USING list (an edit at the very end would not apply)
    out.push({ start: t[i]!.start, end: t[i + 1]!.start, text: "" },
      { start: last.start, end: last.end, text: `${w.sql.slice(last.start, last.end)} using (${NATURAL_MARKER})` });
  }
  return out;
}
