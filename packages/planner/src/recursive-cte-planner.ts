import { SqlError, VT } from "@vt/errors";
import type { PlanNode, RecursiveCte } from "@vt/plan";
import { isAggregate, type Expr, type Select, type SelectStatement, type TableExpr, type Union } from "@vt/sqlparser";
import { finishRoute } from "./horizon.js";
import type { PlanningContext } from "./planning-context.js";
import { mapExpr, stripSelect } from "./rewrite.js";
import { planSelect, selectTables } from "./select-planner.js";
import { resolveKeyspace } from "./table-resolver.js";
import { itemName, planOverRelation } from "./vtgate-horizon.js";

/**
 * Plans the body of `WITH RECURSIVE name AS (anchor UNION [ALL] recursive)`. Over unsharded or reference tables only,
 * one route sends it whole. Otherwise a RecursiveCte: the anchor is planned as any SELECT, and the recursive part
 * with the CTE reference removed from its FROM (its ON conditions moved to WHERE) and the CTE's columns turned into
 * bind variables `:<alias>_<column>` bound from each row of the previous iteration; without other tables it is
 * evaluated in vtgate when evalengine can, else sent to a shard per row.
 * Throws MariaDB's 1235 for ORDER BY/LIMIT on the CTE's UNION, 4008 for aggregation in the recursive part, 1054 for
 * an unknown CTE column, and VT12001 for several references to the CTE or one under an outer join or in a subquery.
 */
export function planRecursiveCte(ctx: PlanningContext, u: Union & { recursive: { name: string } }): PlanNode {
  const name = u.recursive.name;
  if (u.orderBy.length > 0 || u.limit) {
    throw new SqlError(1235, "42000", "This version of MariaDB doesn't yet support 'global ORDER_BY/LIMIT in recursive CTE spec'", "UNIMPLEMENTED");
  }
  const rec = u.right;
  if (rec.kind !== "Select") throw VT.VT12001(`recursive CTE ${name}: a UNION as the recursive part`);
  const tables = [...selectTables(ctx, u.left), ...selectTables(ctx, rec)];
  const keyspaces = new Set(tables.map((t) => t.keyspace.name));
  const whole = tables.every((t) => t.type === "reference") || (keyspaces.size === 1 && !tables[0]!.keyspace.sharded);
  if (whole) return wholeRoute(ctx, u, tables);
  if (rec.groupBy.length > 0 || rec.having || rec.columns.some((c) => c.kind === "AliasedExpr" && hasAggregate(c.expr))) {
    throw new SqlError(4008, "HY000", `Restrictions imposed on recursive definitions are violated for table '${name}'`, "INVALID_ARGUMENT");
  }
  if (rec.distinct || rec.orderBy.length > 0 || rec.limit || rec.lock) throw VT.VT12001(`recursive CTE ${name}: DISTINCT, ORDER BY or LIMIT in the recursive part`);
  const removed = removeReference(rec.from);
  if (!removed) throw VT.VT12001(`recursive CTE ${name}: the recursive part must reference it once, through inner joins`);
  const columns = anchorColumns(u.left).map((c) => c.toLowerCase());
  const alias = removed.alias.toLowerCase();
  const vars: Record<string, number> = {};
  const bind = (e: Expr): Expr | undefined => {
    if (e.kind === "Subquery" || e.kind === "Exists") {
      if (JSON.stringify(e.select).includes("\"recursiveRef\":true")) throw VT.VT12001(`recursive CTE ${name} referenced in a subquery`);
      return { ...e, select: bindSelect(e.select, bind) };
    }
    if (e.kind !== "Column" || (e.table !== undefined && e.table.toLowerCase() !== alias)) return undefined;
    const at = columns.indexOf(e.name.toLowerCase());
    if (at < 0) {
      if (e.table === undefined) return undefined; // a column of another table
      throw new SqlError(1054, "42S22", `Unknown column '${e.table}.${e.name}' in 'field list'`, "INVALID_ARGUMENT");
    }
    const arg = `${removed.alias}_${columns[at]}`;
    vars[arg] = at;
    return { kind: "Arg", name: arg };
  };
  const where = [...(rec.where ? [rec.where] : []), ...removed.conds].reduce<Expr | undefined>((a, b) => (a ? { kind: "Binary", op: "and", left: a, right: b } : b), undefined);
  const step = bindSelect({ ...rec, from: removed.rest, ...(where ? { where } : {}) }, bind);
  const node: RecursiveCte = { kind: "RecursiveCte", name, distinct: u.distinct, vars, anchor: planSelect(ctx, u.left), recursive: planStep(ctx, step) };
  return node;
}

/** The recursive step: evaluated in vtgate when it reads no table and evalengine can, else planned as a query. */
function planStep(ctx: PlanningContext, step: Select): PlanNode {
  if (step.from.length === 0) {
    try {
      return planOverRelation({ node: { kind: "SingleRow" }, columns: [] }, step);
    } catch (e) {
      if (!(e instanceof SqlError) || !e.message.startsWith("VT12001")) throw e;
    }
  }
  return planSelect(ctx, step);
}

/** The CTE over unsharded (one keyspace) or reference tables, or none: `select * from (<body>) as name` on one route. */
function wholeRoute(ctx: PlanningContext, u: Union & { recursive: { name: string } }, tables: ReturnType<typeof selectTables>): PlanNode {
  const first = tables[0];
  const ks = first ? first.keyspace : resolveKeyspace(ctx).keyspace;
  const stripped = stripSelect(u, new Set([ks.name]));
  const sel: Select = { kind: "Select", distinct: false, columns: [{ kind: "Star" }], from: [{ kind: "DerivedTable", select: stripped, as: u.recursive.name }], groupBy: [], orderBy: [] };
  const opcode = ks.sharded ? "Reference" : "Unsharded";
  return finishRoute({ kind: "Route", opcode, keyspace: { name: ks.name, sharded: ks.sharded }, tableName: tables.map((t) => t.name).join(", ") || "dual" }, sel);
}

/** Names of the CTE's columns: the anchor's (first SELECT's) select items. */
function anchorColumns(s: SelectStatement): string[] {
  let first = s;
  while (first.kind === "Union") first = first.left;
  return first.columns.map((c) => (c.kind === "AliasedExpr" ? itemName(c.expr, c.as) : "*"));
}

/**
 * The FROM list without the one reference to the recursive CTE: an inner join with it becomes its other side, and
 * its ON condition goes to `conds`. Undefined when there is not exactly one reference reachable through inner joins.
 */
function removeReference(from: readonly TableExpr[]): { rest: TableExpr[]; conds: Expr[]; alias: string } | undefined {
  let found: string | undefined;
  let count = 0;
  const conds: Expr[] = [];
  const isRef = (t: TableExpr) => t.kind === "AliasedTable" && t.recursiveRef === true;
  const walk = (t: TableExpr): TableExpr | null | undefined => {
    if (isRef(t)) {
      count++;
      found = t.kind === "AliasedTable" ? t.as ?? t.table.name : undefined;
      return null;
    }
    if (t.kind !== "JoinTable") return t;
    const inner = t.join === "join" || t.join === "cross join" || t.join === "straight_join";
    const l = walk(t.left);
    const r = walk(t.right);
    if (l === undefined || r === undefined) return undefined;
    if (l !== null && r !== null) return { ...t, left: l, right: r };
    if (!inner || t.using) return undefined;
    if (t.on) conds.push(t.on);
    return l ?? r;
  };
  const rest: TableExpr[] = [];
  for (const t of from) {
    const x = walk(t);
    if (x === undefined) return undefined;
    if (x !== null) rest.push(x);
  }
  return count === 1 && found !== undefined ? { rest, conds, alias: found } : undefined;
}

/** Applies `bind` to every expression of a SELECT (items, WHERE, ON, GROUP BY, HAVING, ORDER BY). */
function bindSelect<S extends SelectStatement>(s: S, bind: (e: Expr) => Expr | undefined): S {
  if (s.kind === "Union") return { ...s, left: bindSelect(s.left, bind), right: bindSelect(s.right, bind) };
  const m = (e: Expr) => mapExpr(e, bind);
  const table = (t: TableExpr): TableExpr => (t.kind === "JoinTable" ? { ...t, left: table(t.left), right: table(t.right), ...(t.on ? { on: m(t.on) } : {}) } : t);
  return {
    ...s, columns: s.columns.map((c) => (c.kind === "AliasedExpr" ? { ...c, expr: m(c.expr) } : c)), from: s.from.map(table),
    ...(s.where ? { where: m(s.where) } : {}), groupBy: s.groupBy.map(m), ...(s.having ? { having: m(s.having) } : {}),
    orderBy: s.orderBy.map((o) => ({ ...o, expr: m(o.expr) })),
  } satisfies Select as unknown as S;
}

function hasAggregate(e: Expr): boolean {
  let found = false;
  mapExpr(e, (x) => (isAggregate(x) ? ((found = true), x) : x.kind === "Subquery" || x.kind === "Exists" ? x : undefined));
  return found;
}
