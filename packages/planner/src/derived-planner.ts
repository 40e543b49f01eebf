import { VT } from "@vt/errors";
import type { Join, PlanNode } from "@vt/plan";
import { formatExpr, isAggregate, type AliasedExpr, type Column, type Expr, type Select, type SelectStatement, type TableExpr } from "@vt/sqlparser";
import type { VSchemaTable } from "@vt/vindexes";
import { planHorizon } from "./horizon.js";
import type { PlanningContext } from "./planning-context.js";
import { collectTables, joinConditions, mapExpr, stripSelect } from "./rewrite.js";
import { conjuncts } from "./routing.js";
import {
  definedNames, enumColumns, joinedOnPrimaryVindex, planSelect, resolveFrom, routeBase, routeForTables, shardKeyColumns,
  subqueriesOf, withVals, type ResolvedTables,
} from "./select-planner.js";
import { resolveTable } from "./table-resolver.js";
import { itemName, planOverRelation, type RelColumn } from "./vtgate-horizon.js";

/** Route opcodes whose rows are not the union of per-shard rows (every shard holds them all, or none is asked). */
const NOT_PUSHABLE = new Set(["Reference", "DBA", "Unsharded", "None", "Next"]);

/**
 * Plans a SELECT with derived tables (and inlined CTEs) in its FROM list over a sharded keyspace.
 * (1) Pushdown: every derived table plans to a plain sharded Route (its result is the union of what each shard
 * returns) and all FROM items are co-located on their primary vindex → the whole statement is one route, and the
 * outer horizon merges across shards as for a table. (2) Gather: a single derived table in FROM → its plan's rows
 * are evaluated by the outer SELECT in vtgate. Undefined when neither applies.
 */
export function planDerived(ctx: PlanningContext, stmt: Select): PlanNode | undefined {
  const hasSubqueries = [...stmt.columns.flatMap((c) => (c.kind === "AliasedExpr" ? subqueriesOf(c.expr) : [])), ...subqueriesOf(stmt.where), ...subqueriesOf(stmt.having)].length > 0;
  if (!hasSubqueries) {
    const pushed = pushDown(ctx, stmt);
    if (pushed) return pushed;
  }
  const only = stmt.from.length === 1 ? stmt.from[0]! : undefined;
  if (only?.kind === "DerivedTable" && !hasSubqueries) {
    return planOverRelation({ node: planSelect(ctx, only.select), columns: selectColumns(ctx, only.select, only.as) }, stmt);
  }
  return undefined;
}

function pushDown(ctx: PlanningContext, stmt: Select): PlanNode | undefined {
  const entries: ResolvedTables["tables"][number][] = [];
  let ok = true;
  const walk = (t: TableExpr): void => {
    if (!ok) return;
    if (t.kind === "JoinTable") { walk(t.left); walk(t.right); return; }
    if (t.kind === "AliasedTable") {
      const table = resolveTable(ctx, t.table);
      entries.push({ table, names: new Set([(t.as ?? t.table.name).toLowerCase()]) });
      return;
    }
    const inner = planSelect(ctx, t.select);
    if (inner.kind !== "Route" || !inner.keyspace.sharded || NOT_PUSHABLE.has(inner.opcode) || inner.targetDestination) { ok = false; return; }
    const pseudo = derivedTable(ctx, t.select, t.as);
    if (!pseudo) { ok = false; return; }
    entries.push({ table: pseudo, names: new Set([t.as.toLowerCase()]) });
  };
  stmt.from.forEach(walk);
  if (!ok || entries.length === 0) return undefined;
  const keyspaces = new Set(entries.map((e) => e.table.keyspace.name));
  if (keyspaces.size !== 1 || !entries[0]!.table.keyspace.sharded) return undefined;
  const sharded = entries.filter((e) => e.table.type !== "reference");
  if (sharded.length > 1 && !joinedOnPrimaryVindex(sharded, [...joinConditions(stmt.from), ...conjuncts(stmt.where)])) return undefined;
  const ks = entries[0]!.table.keyspace;
  const stripped = stripSelect(stmt, keyspaces) as Select;
  const choice = routeForTables(sharded, stmt.where);
  const tableName = entries.map((e) => e.table.name).join(", ");
  const base = routeBase({ name: ks.name, sharded: ks.sharded }, tableName, choice);
  const sel = choice.inPredicate ? withVals(stripped, choice.inPredicate) : stripped;
  return planHorizon(sel, base, shardKeyColumns(sharded), enumColumns(entries));
}

/**
 * A VSchema table standing for a pushable derived table: its primary vindex is the one of an inner table whose
 * primary vindex column the derived table selects as a plain column (under the derived column's name).
 */
function derivedTable(ctx: PlanningContext, s: SelectStatement, alias: string): VSchemaTable | undefined {
  if (s.kind !== "Select") return undefined;
  const r = resolveFrom(ctx, s.from, s.where);
  const first = r.tables[0]?.table;
  if (!first) return undefined;
  let columnVindexes: VSchemaTable["columnVindexes"] = [];
  for (const c of s.columns) {
    if (c.kind !== "AliasedExpr" || c.expr.kind !== "Column") continue;
    const col = c.expr;
    const owner = r.tables.find((t) => (col.table === undefined ? r.tables.length === 1 : t.names.has(col.table.toLowerCase())));
    const pv = owner?.table.columnVindexes[0];
    if (!pv || pv.columns.length !== 1 || pv.columns[0]!.toLowerCase() !== col.name.toLowerCase()) continue;
    columnVindexes = [{ ...pv, columns: [itemName(col, c.as)] }];
    break;
  }
  return {
    name: alias, keyspace: first.keyspace, type: "", columnVindexes, ownedVindexes: [], columns: [], columnListAuthoritative: false,
  };
}

/** Output columns of a derived table's SELECT (the first SELECT of a UNION), known by the derived table's alias. */
export function selectColumns(ctx: PlanningContext, s: SelectStatement, alias: string): RelColumn[] {
  let first = s;
  while (first.kind === "Union") first = first.left;
  const sel = first;
  return sel.columns.flatMap((c): RelColumn[] => {
    if (c.kind === "AliasedExpr") return [{ name: itemName(c.expr, c.as), table: alias }];
    const { tables } = collectTables(sel.from);
    const named = c.table === undefined ? tables : tables.filter((t) => (t.alias ?? t.name.name).toLowerCase() === c.table!.toLowerCase());
    return named.flatMap((t) => {
      const vt = resolveTable(ctx, t.name);
      if (vt.columns.length === 0) throw VT.VT12001(`'*' in a derived table over ${vt.name}, whose columns the VSchema does not list`);
      return vt.columns.map((col) => ({ name: col.name, table: alias }));
    });
  });
}

/** True when a SELECT groups, aggregates, filters groups or removes duplicates. */
export function needsHorizon(sel: Select): boolean {
  let aggr = false;
  for (const c of sel.columns) {
    if (c.kind === "AliasedExpr") mapExpr(c.expr, (x) => (isAggregate(x) ? ((aggr = true), x) : x.kind === "Subquery" ? x : undefined));
  }
  return aggr || sel.groupBy.length > 0 || sel.having !== undefined || sel.distinct;
}

/**
 * Aggregation / DISTINCT over a cross-shard join, select expressions over both of its sides, or WHERE conditions
 * that must see the joined rows (`postFilters`: the right side of a LEFT JOIN): the join returns the columns the
 * outer query needs (planned by `planJoin` with the other WHERE conjuncts pushed into its sides) and vtgate filters,
 * groups, aggregates, projects, sorts and limits those rows.
 */
export function planJoinHorizon(ctx: PlanningContext, stmt: Select, planJoin: (ctx: PlanningContext, s: Select) => PlanNode, postFilters: readonly Expr[] = []): PlanNode {
  const cols: Column[] = [];
  const seen = new Set<string>();
  const aliases = new Set(stmt.columns.flatMap((c) => (c.kind === "AliasedExpr" && c.as && !c.implicitAlias ? [c.as.toLowerCase()] : [])));
  const add = (e: Expr, aliasesOk = true): void => {
    mapExpr(e, (x) => {
      if (x.kind === "Subquery" || x.kind === "Exists") throw VT.VT12001("subquery in an aggregation over a cross-shard join");
      if (x.kind !== "Column") return undefined;
      if (aliasesOk && x.table === undefined && aliases.has(x.name.toLowerCase())) return x;
      const k = formatExpr(x);
      if (!seen.has(k)) { seen.add(k); cols.push(x); }
      return x;
    });
  };
  for (const c of stmt.columns) {
    if (c.kind === "Star") throw VT.VT12001("'*' in an aggregation over a cross-shard join");
    add(c.expr);
  }
  stmt.groupBy.forEach((e) => add(e));
  if (stmt.having) add(stmt.having);
  stmt.orderBy.forEach((o) => add(o.expr));
  postFilters.forEach((e) => add(e, false));
  const pushed = and(conjuncts(stmt.where).filter((c) => !postFilters.includes(c)));
  const inner: Select = {
    kind: "Select", distinct: false, columns: cols.map((c): AliasedExpr => ({ kind: "AliasedExpr", expr: c })),
    from: stmt.from, ...(pushed ? { where: pushed } : {}), groupBy: [], orderBy: [],
  };
  const node = planJoin(ctx, inner);
  const outer: Select = { ...stmt };
  delete (outer as { where?: unknown }).where;
  const post = and(postFilters);
  return planOverRelation({ node, columns: cols.map((c) => ({ name: c.name, ...(c.table ? { table: c.table } : {}) })) }, post ? { ...outer, where: post } : outer);
}

/**
 * Correlated scalar subqueries in the select list (`SELECT c.code, (SELECT COUNT(*) FROM u WHERE u.cc = c.code) ...`):
 * the outer query runs with the correlated columns added, and each subquery runs once per outer row (a nested-loop
 * Join whose right side binds the subquery's single value; no row → NULL, several → 1242). Undefined when the
 * statement has another shape (subqueries inside expressions, aggregation, ORDER BY on a subquery column).
 */
export function planCorrelatedColumns(ctx: PlanningContext, stmt: Select): PlanNode | undefined {
  if (needsHorizon(stmt) || subqueriesOf(stmt.where).length > 0 || subqueriesOf(stmt.having).length > 0 || stmt.orderBy.some((o) => subqueriesOf(o.expr).length > 0)) return undefined;
  const subIdx: number[] = [];
  for (const [i, c] of stmt.columns.entries()) {
    if (c.kind !== "AliasedExpr") continue;
    if (c.expr.kind === "Subquery") subIdx.push(i);
    else if (subqueriesOf(c.expr).length > 0) return undefined;
  }
  if (subIdx.length === 0) return undefined;
  for (const o of stmt.orderBy) {
    if (o.expr.kind === "Literal" && subIdx.includes(Number(o.expr.value) - 1)) return undefined;
    if (o.expr.kind === "Column" && o.expr.table === undefined && subIdx.some((i) => {
      const c = stmt.columns[i];
      return c?.kind === "AliasedExpr" && c.as !== undefined && c.as.toLowerCase() === (o.expr as Column).name.toLowerCase();
    })) return undefined;
  }
  const outerNames = definedNames(stmt);
  const columns = [...stmt.columns];
  const hidden: Expr[] = [];
  const rights: { node: PlanNode; vars: Record<string, number> }[] = [];
  const width = stmt.columns.length;
  for (const [k, i] of subIdx.entries()) {
    const item = stmt.columns[i] as AliasedExpr;
    const sub = (item.expr as Extract<Expr, { kind: "Subquery" }>).select;
    if (sub.kind !== "Select") return undefined;
    const { select: rewritten, vars } = bindOuterColumns(sub, outerNames, width, hidden);
    const resultName = `__sq_corr${k + 1}`;
    rights.push({
      vars,
      node: {
        kind: "UncorrelatedSubquery", opcode: "PulloutValue", resultName, hasValuesName: `__sq_has_values_corr${k + 1}`,
        subquery: planSelect(ctx, rewritten),
        outer: { kind: "EvalProjection", exprs: [{ kind: "BindVar", name: resultName }], names: [itemName(item.expr, item.as)], input: { kind: "SingleRow" } },
      },
    });
    columns[i] = { kind: "AliasedExpr", expr: { kind: "Literal", type: "null", value: "" }, as: itemName(item.expr, item.as) };
  }
  const outer: Select = { ...stmt, columns: [...columns, ...hidden.map((expr): AliasedExpr => ({ kind: "AliasedExpr", expr }))] };
  let node = planSelect(ctx, outer);
  let leftWidth = outer.columns.length;
  for (const r of rights) {
    const cols = [...Array.from({ length: leftWidth }, (_, j) => -(j + 1)), 1];
    const join: Join = { kind: "Join", opcode: "Join", cols, vars: r.vars, left: node, right: r.node };
    node = join;
    leftWidth++;
  }
  const base = outer.columns.length;
  return { kind: "Projection", cols: stmt.columns.map((_, i) => (subIdx.includes(i) ? base + subIdx.indexOf(i) : i)), input: node };
}

/**
 * `SELECT SQL_CALC_FOUND_ROWS ... LIMIT n`: the statement without the option gives the rows, and a count query (the
 * same FROM/WHERE counted; grouped or DISTINCT statements counted as a derived table) gives FOUND_ROWS().
 */
export function planCalcFoundRows(ctx: PlanningContext, stmt: Select): PlanNode {
  const plain: Select = { ...stmt };
  delete (plain as { calcFoundRows?: unknown }).calcFoundRows;
  const limit = planSelect(ctx, plain);
  if (!stmt.limit) return limit;
  const base: Select = { ...plain, orderBy: [] };
  delete (base as { limit?: unknown }).limit;
  delete (base as { lock?: unknown }).lock;
  const countItem: AliasedExpr = { kind: "AliasedExpr", expr: { kind: "FuncCall", name: "count", args: [{ kind: "Star" }] } };
  const countSel: Select = needsHorizon(base)
    ? { kind: "Select", distinct: false, columns: [countItem], from: [{ kind: "DerivedTable", select: base, as: "__found_rows" }], groupBy: [], orderBy: [] }
    : { ...base, columns: [countItem] };
  return { kind: "SQLCalcFoundRows", limit, count: planSelect(ctx, countSel) };
}

/**
 * Rewrites the outer-query columns a correlated subquery uses (qualified by a name the outer FROM defines and the
 * subquery does not, also inside its own nested subqueries unless they redefine the name) into bind variables
 * `:<table>_<column>`; each becomes a hidden outer column (appended to `hidden`, offsets from `width`) that a
 * nested-loop Join binds per outer row.
 */
export function bindOuterColumns(sub: Select, outerNames: ReadonlySet<string>, width: number, hidden: Expr[]): { select: Select; vars: Record<string, number> } {
  const vars: Record<string, number> = {};
  const bindSelect = (s: Select, shadow: ReadonlySet<string>): Select => {
    const own = new Set([...shadow, ...definedNames(s)]);
    const bind = (e: Expr): Expr | undefined => {
      if (e.kind === "Subquery" || e.kind === "Exists") return e.select.kind === "Select" ? { ...e, select: bindSelect(e.select, own) } : e;
      if (e.kind !== "Column" || e.table === undefined) return undefined;
      const t = e.table.toLowerCase();
      if (own.has(t) || !outerNames.has(t)) return undefined;
      const name = `${e.table}_${e.name}`;
      if (vars[name] === undefined) {
        const text = formatExpr(e);
        let at = hidden.findIndex((h) => formatExpr(h) === text);
        if (at < 0) at = hidden.push(e) - 1;
        vars[name] = width + at;
      }
      return { kind: "Arg", name };
    };
    const bindTable = (t: TableExpr): TableExpr => (t.kind !== "JoinTable" ? t
      : { ...t, left: bindTable(t.left), right: bindTable(t.right), ...(t.on ? { on: mapExpr(t.on, bind) } : {}) });
    return {
      ...s,
      columns: s.columns.map((c) => (c.kind === "AliasedExpr" ? { ...c, expr: mapExpr(c.expr, bind) } : c)),
      ...(s.where ? { where: mapExpr(s.where, bind) } : {}),
      ...(s.having ? { having: mapExpr(s.having, bind) } : {}),
      groupBy: s.groupBy.map((g) => mapExpr(g, bind)),
      orderBy: s.orderBy.map((o) => ({ ...o, expr: mapExpr(o.expr, bind) })),
      from: s.from.map(bindTable),
    };
  };
  return { select: bindSelect(sub, new Set()), vars };
}

const and = (es: readonly Expr[]): Expr | undefined =>
  es.reduce<Expr | undefined>((a, b) => (a ? { kind: "Binary", op: "and", left: a, right: b } : b), undefined);

/** Column references of the outer SELECT's items, GROUP BY, HAVING and ORDER BY (select aliases excluded). */
export function neededColumns(stmt: Select): Column[] | undefined {
  const cols: Column[] = [];
  const seen = new Set<string>();
  const aliases = new Set(stmt.columns.flatMap((c) => (c.kind === "AliasedExpr" && c.as && !c.implicitAlias ? [c.as.toLowerCase()] : [])));
  let ok = true;
  const add = (e: Expr): void => {
    mapExpr(e, (x) => {
      if (x.kind === "Subquery" || x.kind === "Exists") { ok = false; return x; }
      if (x.kind === "Star") return x; // COUNT(*)
      if (x.kind !== "Column") return undefined;
      if (x.table === undefined && aliases.has(x.name.toLowerCase())) return x;
      const k = formatExpr(x);
      if (!seen.has(k)) { seen.add(k); cols.push(x); }
      return x;
    });
  };
  for (const c of stmt.columns) {
    if (c.kind === "Star") return undefined;
    add(c.expr);
  }
  stmt.groupBy.forEach(add);
  if (stmt.having) add(stmt.having);
  stmt.orderBy.forEach((o) => add(o.expr));
  return ok ? cols : undefined;
}

/**
 * Correlated `[NOT] EXISTS (...)` and `col IN (SELECT ...)` conditions in WHERE over tables on other shards: the outer
 * rows (with the correlated columns) are read first, then each subquery runs per outer row as a nested-loop semi-join
 * (Join over `LIMIT 1`) or anti-join (LeftJoin + IS NULL filter); the outer select list, grouping, ordering and LIMIT
 * are evaluated in vtgate. Undefined for other shapes.
 */
export function planCorrelatedWhere(ctx: PlanningContext, stmt: Select): PlanNode | undefined {
  if (stmt.lock || subqueriesOf(stmt.having).length > 0 || stmt.orderBy.some((o) => subqueriesOf(o.expr).length > 0) || stmt.columns.some((c) => c.kind === "AliasedExpr" && subqueriesOf(c.expr).length > 0)) return undefined;
  const outerNames = definedNames(stmt);
  const keep: Expr[] = [];
  const semis: { sub: Select; anti: boolean }[] = [];
  for (const c of conjuncts(stmt.where)) {
    const ex = c.kind === "Exists" ? { sel: c.select, not: !!c.not }
      : c.kind === "Unary" && c.op === "not" && c.expr.kind === "Exists" ? { sel: c.expr.select, not: !c.expr.not } : undefined;
    if (ex) {
      if (ex.sel.kind !== "Select") return undefined;
      semis.push({ sub: ex.sel, anti: ex.not });
      continue;
    }
    if (c.kind === "Binary" && c.op === "in" && c.right.kind === "Tuple" && c.right.exprs.length === 1 && c.right.exprs[0]!.kind === "Subquery") {
      const sub = c.right.exprs[0].select;
      const item = sub.kind === "Select" ? sub.columns[0] : undefined;
      if (sub.kind !== "Select" || sub.columns.length !== 1 || item?.kind !== "AliasedExpr" || needsHorizon(sub) || sub.limit ||
        c.left.kind !== "Column" || c.left.table === undefined) return undefined;
      const eq: Expr = { kind: "Binary", op: "=", left: item.expr, right: c.left };
      const where = and([...(sub.where ? [sub.where] : []), eq]);
      semis.push({ sub: { ...sub, ...(where ? { where } : {}) }, anti: false });
      continue;
    }
    if (subqueriesOf(c).length > 0) return undefined;
    keep.push(c);
  }
  if (semis.length === 0) return undefined;
  const cols = neededColumns(stmt);
  if (!cols) return undefined;
  const hidden: Expr[] = [];
  const rights = semis.map((s) => {
    const { select, vars } = bindOuterColumns(s.sub, outerNames, cols.length, hidden);
    const one: Select = { ...select, columns: [{ kind: "AliasedExpr", expr: { kind: "Literal", type: "int", value: "1" } }], orderBy: [] };
    delete (one as { limit?: unknown }).limit;
    return { anti: s.anti, vars, node: { kind: "Limit", count: { kind: "Literal", type: 265, value: "1" }, input: planSelect(ctx, one) } as PlanNode };
  });
  const where = and(keep);
  const innerCols = [...cols, ...hidden];
  const inner: Select = {
    kind: "Select", distinct: false, from: stmt.from, groupBy: [], orderBy: [], ...(where ? { where } : {}),
    columns: innerCols.length > 0 ? innerCols.map((expr): AliasedExpr => ({ kind: "AliasedExpr", expr })) : [{ kind: "AliasedExpr", expr: { kind: "Literal", type: "int", value: "1" } }],
  };
  let node = planSelect(ctx, inner);
  const width = inner.columns.length;
  const keepCols = Array.from({ length: width }, (_, j) => -(j + 1));
  for (const r of rights) {
    if (!r.anti) {
      node = { kind: "Join", opcode: "Join", cols: keepCols, vars: r.vars, left: node, right: r.node };
      continue;
    }
    const join: Join = { kind: "Join", opcode: "LeftJoin", cols: [...keepCols, 1], vars: r.vars, left: node, right: r.node };
    node = {
      kind: "Projection", cols: keepCols.map((_, j) => j),
      input: { kind: "Filter", predicate: { kind: "IsNull", expr: { kind: "Column", offset: width }, not: false }, input: join },
    };
  }
  const outer: Select = { ...stmt };
  delete (outer as { where?: unknown }).where;
  const columns: RelColumn[] = cols.map((c) => ({ name: c.name, ...(c.table ? { table: c.table } : {}) }));
  return planOverRelation({ node, columns }, outer);
}

/**
 * The generic fallback for a SELECT over one route whose horizon the shards cannot pre-aggregate (several DISTINCT
 * aggregates, DISTINCT aggregates other than COUNT/SUM merges, ...): the route returns the columns the statement
 * needs (WHERE still pushed down) and vtgate evaluates the rest. Undefined when the statement has subqueries or '*'.
 */
const VARIANCE = new Set(["std", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp"]);

/**
 * STD/VARIANCE are computed with MariaDB's running recurrence in doubles, whose last digits depend on the row order.
 * A single MariaDB scans a table in primary-key order; the primary vindex column is usually that key, so the rows
 * are gathered (merge-sorted) in its order to reproduce MariaDB's digits. Other aggregates need no order.
 */
function scanOrder(ctx: PlanningContext, stmt: Select): { expr: Expr; desc: boolean }[] {
  let variance = false;
  const visit = (e: Expr) => mapExpr(e, (x) => (x.kind === "FuncCall" && VARIANCE.has(x.name) ? ((variance = true), x) : undefined));
  stmt.columns.forEach((c) => c.kind === "AliasedExpr" && visit(c.expr));
  if (stmt.having) visit(stmt.having);
  const { tables } = collectTables(stmt.from);
  if (!variance || tables.length !== 1) return [];
  const t = tables[0]!;
  const pv = resolveTable(ctx, t.name).columnVindexes[0];
  const qualifier = t.alias ?? t.name.name;
  return (pv?.columns ?? []).map((name) => ({ expr: { kind: "Column", name, table: qualifier }, desc: false }));
}

/**
 * True when the statement's ORDER BY names an ENUM/SET column (directly, by alias or by position): vtgate's memory
 * sort would order the text, MariaDB orders by the index.
 */
function sortsOnEnum(ctx: PlanningContext, stmt: Select): boolean {
  if (stmt.orderBy.length === 0) return false;
  const enums = enumColumns(resolveFrom(ctx, stmt.from).tables);
  if (enums.size === 0) return false;
  return stmt.orderBy.some((o) => {
    let e = o.expr;
    if (e.kind === "Literal" && e.type === "int") {
      const c = stmt.columns[Number(e.value) - 1];
      if (c?.kind === "AliasedExpr") e = c.expr;
    } else if (e.kind === "Column" && e.table === undefined) {
      const c = stmt.columns.find((x) => x.kind === "AliasedExpr" && !x.implicitAlias && x.as?.toLowerCase() === (e as Column).name.toLowerCase());
      if (c?.kind === "AliasedExpr") e = c.expr;
    }
    return e.kind === "Column" && enums.has((e.table ? `${e.table}.${e.name}` : e.name).toLowerCase());
  });
}

export function planGather(ctx: PlanningContext, stmt: Select): PlanNode | undefined {
  if (subqueriesOf(stmt.where).length > 0 || stmt.lock) return undefined;
  const cols = neededColumns(stmt);
  if (!cols) return undefined;
  if (sortsOnEnum(ctx, stmt)) throw VT.VT12001("ORDER BY an ENUM or SET column evaluated in vtgate");
  const inner: Select = {
    kind: "Select", distinct: false, from: stmt.from, groupBy: [], orderBy: scanOrder(ctx, stmt), ...(stmt.where ? { where: stmt.where } : {}),
    columns: cols.length > 0 ? cols.map((expr): AliasedExpr => ({ kind: "AliasedExpr", expr })) : [{ kind: "AliasedExpr", expr: { kind: "Literal", type: "int", value: "1" } }],
  };
  const outer: Select = { ...stmt };
  delete (outer as { where?: unknown }).where;
  return planOverRelation({ node: planSelect(ctx, inner), columns: cols.map((c) => ({ name: c.name, ...(c.table ? { table: c.table } : {}) })) }, outer);
}
