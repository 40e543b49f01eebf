import { SqlError } from "@vt/errors";
import type { BindVariable } from "@vt/sqltypes";
import { bindVarSQL } from "./encode.js";
import { tokenize } from "./lexer.js";

/**
 * Replaces `:name` and `::name` bind variables in `sql` with SQL literals from `bindVars` (what vttablet does before
 * sending a query to MariaDB). Throws SqlError 1105 "missing bind var name" when one is absent.
 */
export function substituteBindVars(sql: string, bindVars: Readonly<Record<string, BindVariable>>): string {
  if (!sql.includes(":")) return sql;
  let out = "";
  let last = 0;
  for (const t of tokenize(sql)) {
    if (t.type !== "arg" && t.type !== "listArg") continue;
    const name = sql.slice(t.start + (t.type === "arg" ? 1 : 2), t.end);
    const bv = bindVars[name];
    if (bv === undefined) throw new SqlError(1105, "HY000", `missing bind var ${name}`, "INVALID_ARGUMENT");
    out += sql.slice(last, t.start) + bindVarSQL(bv);
    last = t.end;
  }
  return out + sql.slice(last);
}
