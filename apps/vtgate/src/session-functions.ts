import { tokenize } from "@vt/sqlparser";
import { bindVar, int64Value, nullValue, uint64Value, varcharValue, type BindVariable } from "@vt/sqltypes";
import type { Session } from "./session.js";

/**
 * Functions whose value lives in vtgate's session, not on a tablet (Vitess rewrites them to bind variables the
 * same way): LAST_INSERT_ID(), ROW_COUNT(), FOUND_ROWS(), DATABASE()/SCHEMA(), CONNECTION_ID().
 */
const FUNCTIONS: Readonly<Record<string, string>> = {
  last_insert_id: "__lastInsertId",
  row_count: "__vtrowcount",
  found_rows: "__vtfrows",
  database: "__vtdbname",
  schema: "__vtdbname",
  connection_id: "__vtconnectionid",
};

const QUICK = /last_insert_id|row_count|found_rows|database|schema|connection_id/i;
const END_OF_EXPR = new Set([",", ";", "from"]);

/** A statement text with session functions replaced by `:__…` bind variables, and which ones it needs. */
export interface SessionFunctionRewrite {
  readonly sql: string;
  readonly needs: readonly string[];
}

/**
 * Rewrites `name()` calls of the session functions in a SELECT text to bind variables. A call that is a whole
 * select-list item keeps its column name through an alias (`ROW_COUNT()` → `:__vtrowcount as \`ROW_COUNT()\``).
 * Returns undefined when the text has none (the common case, decided by one regex test).
 */
export function rewriteSessionFunctions(sql: string): SessionFunctionRewrite | undefined {
  if (!QUICK.test(sql)) return undefined;
  const toks = tokenize(sql);
  const needs = new Set<string>();
  let out = "";
  let last = 0;
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const text = sql.slice(t.start, t.end);
    if (t.type === "punct" && text === "(") depth++;
    else if (t.type === "punct" && text === ")") depth--;
    if (t.type !== "ident") continue;
    const bv = FUNCTIONS[text.toLowerCase()];
    const open = toks[i + 1];
    const close = toks[i + 2];
    if (bv === undefined || open === undefined || close === undefined || sql.slice(open.start, open.end) !== "(" ||
      sql.slice(close.start, close.end) !== ")" || open.start !== t.end) continue;
    const prev = toks[i - 1];
    if (prev !== undefined && sql.slice(prev.start, prev.end) === ".") continue;
    const next = toks[i + 3];
    const nextText = next === undefined ? "" : sql.slice(next.start, next.end).toLowerCase();
    const prevText = prev === undefined ? "" : sql.slice(prev.start, prev.end).toLowerCase();
    const wholeItem = depth === 0 && (prevText === "select" || prevText === ",") && (next === undefined || END_OF_EXPR.has(nextText));
    out += sql.slice(last, t.start) + `:${bv}` + (wholeItem ? ` as \`${sql.slice(t.start, close.end)}\`` : "");
    last = close.end;
    needs.add(bv);
    i += 2;
  }
  if (needs.size === 0) return undefined;
  return { sql: out + sql.slice(last), needs: [...needs] };
}

/** The bind variables a rewritten statement needs, from the session. */
export function sessionFunctionBindVars(needs: readonly string[], s: Session): Record<string, BindVariable> {
  const out: Record<string, BindVariable> = {};
  for (const n of needs) {
    switch (n) {
      case "__lastInsertId": out[n] = bindVar(uint64Value(s.lastInsertId)); break;
      case "__vtrowcount": out[n] = bindVar(int64Value(s.rowCount)); break;
      case "__vtfrows": out[n] = bindVar(uint64Value(s.foundRows)); break;
      case "__vtdbname": out[n] = bindVar(s.target.keyspace ? varcharValue(s.target.keyspace) : nullValue()); break;
      case "__vtconnectionid": out[n] = bindVar(uint64Value(s.connectionId)); break;
    }
  }
  return out;
}
