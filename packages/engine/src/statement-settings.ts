import type { BoundQuery, ExecOpts, ResolvedShard, ShardExecutor, ShardOutcome } from "./vcursor.js";
import type { Result } from "@vt/sqltypes";

/**
 * Session system variables that change what a shard returns for the same query (time zone rendering of TIMESTAMP,
 * sql_mode checks and casts, GROUP_CONCAT truncation, division scale, date names, ...). Setting one in the session
 * makes vtgate run the session's shard queries under it.
 */
export const RESULT_AFFECTING_VARS: ReadonlySet<string> = new Set([
  "time_zone", "sql_mode", "group_concat_max_len", "div_precision_increment", "lc_time_names", "default_week_format",
  "max_statement_time", "sql_auto_is_null", "sql_big_selects", "sql_safe_updates", "max_join_size", "big_tables",
  "foreign_key_checks", "unique_checks", "old_mode",
]);

/**
 * MariaDB's per-statement form of the session's result-affecting variables: `SET STATEMENT a=x, b=y FOR `, or "" when
 * none is set (the common case costs one pass over the session's few system variables). `vars` maps lower-case
 * names to the SQL text of their values.
 */
export function statementSettingsPrefix(vars: ReadonlyMap<string, string>): string {
  if (vars.size === 0) return "";
  let out = "";
  for (const [name, expr] of vars) {
    if (!RESULT_AFFECTING_VARS.has(name)) continue;
    out += `${out === "" ? "SET STATEMENT " : ", "}${name} = ${expr}`;
  }
  return out === "" ? "" : `${out} FOR `;
}

/** Statements MariaDB accepts after `SET STATEMENT ... FOR`. */
const SETTABLE = /^\s*(\/\*.*?\*\/\s*)*(select|insert|update|delete|replace|with|\()/is;

/**
 * Wraps a ShardExecutor so that every SELECT/DML query runs under `prefix` (statementSettingsPrefix): MariaDB applies
 * the variables for that one statement, so pooled tablet connections need no reserved state. Returns `shards`
 * itself when the prefix is empty.
 */
export function withStatementSettings(shards: ShardExecutor, prefix: string): ShardExecutor {
  if (prefix === "") return shards;
  const wrap = (queries: readonly BoundQuery[]): BoundQuery[] =>
    queries.map((q) => (SETTABLE.test(q.sql) ? { sql: prefix + q.sql, bindVars: q.bindVars } : q));
  return {
    executeMultiShard: (rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): Promise<ShardOutcome[]> =>
      shards.executeMultiShard(rss, wrap(queries), opts),
    streamMultiShard: (rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): AsyncIterable<Result> =>
      shards.streamMultiShard(rss, wrap(queries), opts),
  };
}
