import type { QueryResult } from "@vt/proto/query";

/** Decodes a QueryResult's rows (lengths + one values blob; length -1 is NULL) into strings/nulls. */
export function decodeRows(r: QueryResult): (string | null)[][] {
  const dec = new TextDecoder();
  return r.rows.map((row) => {
    let off = 0;
    return row.lengths.map((len) => {
      if (len < 0) return null;
      const s = dec.decode(row.values.subarray(off, off + len));
      off += len;
      return s;
    });
  });
}

/** Renders a QueryResult as a bordered text table, like the mysql client (and vtctldclient) does. */
export function formatQueryResult(r: QueryResult): string {
  const names = r.fields.map((f) => f.name);
  const rows = decodeRows(r).map((row) => row.map((v) => v ?? "NULL"));
  if (names.length === 0) return `Query OK, ${r.rowsAffected} rows affected`;
  const widths = names.map((n, i) => Math.max(n.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const fmt = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line, fmt(names), line, ...rows.map(fmt), line].join("\n");
}

/** The JSON shape vtctldclient prints for `--json`: fields, rows as arrays, rows_affected, insert_id. */
export function queryResultJson(r: QueryResult): unknown {
  return {
    fields: r.fields.map((f) => ({ name: f.name, type: f.type })),
    rows_affected: r.rowsAffected.toString(),
    insert_id: r.insertId.toString(),
    rows: decodeRows(r),
  };
}
