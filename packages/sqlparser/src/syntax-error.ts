import { ER, SqlError, SS } from "@vt/errors";

/**
 * MySQL's syntax error (1064/42000) pointing near `position` of `sql`:
 * "You have an error in your SQL syntax; check the manual ... near 'rest' at line N".
 */
export function syntaxError(sql: string, position: number): SqlError {
  const pos = Math.max(0, Math.min(position, sql.length));
  const line = sql.slice(0, pos).split("\n").length;
  const near = sql.slice(pos, pos + 80);
  return new SqlError(
    ER.PARSE_ERROR, SS.SYNTAX,
    `You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near '${near}' at line ${line}`,
    "INVALID_ARGUMENT",
  );
}
