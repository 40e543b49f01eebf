import { emptyResult, type Result } from "@vt/sqltypes";

/**
 * Folds the per-statement results of a multi-statement query into the one QueryResult an Execute can return:
 * the rows and fields of the last statement that produced a result set, rows affected summed over all statements,
 * and the last non-zero insert id, info and warning count. One statement's result is returned unchanged.
 */
export function mergeResults(results: readonly Result[]): Result {
  if (results.length === 1) return results[0]!;
  const out = emptyResult();
  out.warnings = 0;
  for (const r of results) {
    if (r.fields.length > 0) {
      out.fields = r.fields;
      out.rows = r.rows;
    }
    out.rowsAffected += r.rowsAffected;
    if (r.insertId !== 0n) out.insertId = r.insertId;
    if (r.info !== "") out.info = r.info;
    out.warnings += r.warnings ?? 0;
    if (r.statusFlags !== undefined) out.statusFlags = r.statusFlags;
  }
  return out;
}
