import { SqlError } from "@vt/errors";
import type { Expr, SelectStatement, Statement, TableExpr, TableName } from "@vt/sqlparser";
import type { VSchemaTable } from "@vt/vindexes";
import type { PlanningContext } from "./planning-context.js";
import { mapExpr } from "./rewrite.js";

const TYPE_SUFFIX: Record<string, string> = { PRIMARY: "@primary", REPLICA: "@replica", RDONLY: "@rdonly" };

/**
 * The table a routing rule sends `name` to, as Vitess's findRoutedTable: the key is `ks.t` with the qualifier (or the
 * session keyspace), plain `t` without either; `<key>@<tablet type>` is tried before `<key>`. Returns undefined when
 * no rule applies. Throws the rule's build error, or FAILED_PRECONDITION "table t has been disabled" for a rule with
 * no target.
 */
export function findRoutedTable(ctx: PlanningContext, name: TableName): VSchemaTable | undefined {
  const rules = ctx.vschema.routingRules;
  const errors = ctx.vschema.routingRuleErrors;
  if (rules.size === 0 && (errors === undefined || errors.size === 0)) return undefined;
  const ks = name.qualifier ?? ctx.opts.keyspace ?? "";
  const qualified = ks !== "" ? `${ks}.${name.name}` : name.name;
  const suffix = TYPE_SUFFIX[(ctx.opts.tabletType ?? "PRIMARY").toUpperCase()] ?? "";
  for (const key of [qualified + suffix, qualified]) {
    const err = errors?.get(key);
    if (err) throw err;
    const targets = rules.get(key);
    if (targets === undefined) continue;
    const first = targets[0];
    if (first === undefined) throw new SqlError(1105, "HY000", `table ${name.name} has been disabled`, "FAILED_PRECONDITION");
    return first;
  }
  return undefined;
}

/**
 * Rewrites every table reference that a routing rule redirects to its target `ks.table` (keeping the name the query
 * used as the alias when the table name changes), so the query sent to the shards names the real table. Returns
 * `stmt` itself when the VSchema has no routing rules or none applies.
 */
export function applyRoutingRules(ctx: PlanningContext, stmt: Statement): Statement {
  if (ctx.vschema.routingRules.size === 0 && (ctx.vschema.routingRuleErrors?.size ?? 0) === 0) return stmt;
  const renameTable = (t: TableName): TableName => {
    const r = findRoutedTable(ctx, t);
    return r ? { qualifier: r.keyspace.name, name: r.name } : t;
  };
  const tableExpr = (t: TableExpr): TableExpr => {
    switch (t.kind) {
      case "AliasedTable": {
        const to = renameTable(t.table);
        if (to === t.table) return t;
        const as = t.as ?? (to.name !== t.table.name ? t.table.name : undefined);
        return { kind: "AliasedTable", table: to, ...(as !== undefined ? { as } : {}) };
      }
      case "DerivedTable": return { ...t, select: select(t.select) };
      case "JoinTable": return { ...t, left: tableExpr(t.left), right: tableExpr(t.right), ...(t.on ? { on: expr(t.on) } : {}) };
    }
  };
  const expr = (e: Expr): Expr => mapExpr(e, (x) =>
    x.kind === "Subquery" || x.kind === "Exists" ? { ...x, select: select(x.select) } : undefined);
  const select = (s: SelectStatement): SelectStatement => {
    if (s.kind === "Union") return { ...s, left: select(s.left), right: select(s.right) };
    return { ...s, from: s.from.map(tableExpr), ...(s.where ? { where: expr(s.where) } : {}) };
  };
  switch (stmt.kind) {
    case "Select": case "Union": return select(stmt);
    case "Insert": {
      const rows = Array.isArray(stmt.rows) ? stmt.rows : select(stmt.rows as SelectStatement);
      return { ...stmt, table: renameTable(stmt.table), rows };
    }
    case "Update": return { ...stmt, table: tableExpr(stmt.table), ...(stmt.where ? { where: expr(stmt.where) } : {}) };
    case "Delete": return { ...stmt, table: tableExpr(stmt.table), ...(stmt.where ? { where: expr(stmt.where) } : {}) };
    default: return stmt;
  }
}
