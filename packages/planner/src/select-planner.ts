import { SqlError, VT } from "@vt/errors";
import { translateExpr } from "@vt/evalengine";
import { Type } from "@vt/sqltypes";
import type { KeyspaceRef, PlanNode, Route, UncorrelatedSubquery } from "@vt/plan";
import { formatExpr, formatSelect, type Expr, type Select, type SelectStatement, type TableExpr, type TableName } from "@vt/sqlparser";
import type { VSchemaTable } from "@vt/vindexes";
import { finishRoute, planHorizon, type RouteBase } from "./horizon.js";
import type { PlanningContext } from "./planning-context.js";
import { betterRoute, chooseRouting, conjuncts, type RouteChoice } from "./routing.js";
import { collectTables, joinConditions, mapExpr, stripSelect, VALS_ARG } from "./rewrite.js";
import { resolveKeyspace, resolveTable } from "./table-resolver.js";
import { joinNeedsVtgate, planJoin } from "./join-planner.js";
import { planSubqueryApply } from "./subquery-apply-planner.js";
import { planRecursiveCte } from "./recursive-cte-planner.js";
import { hoistOnSubqueries, outerJoinOnSubqueries } from "./on-subqueries.js";
import { resolveJoinColumns } from "./join-columns.js";
import { needsHorizon, planCalcFoundRows, planCorrelatedColumns, planCorrelatedWhere, planDerived, planGather, planJoinHorizon } from "./derived-planner.js";

/** Tables of a statement, resolved, with the names they are referenced by. */
export interface ResolvedTables {
  readonly tables: { readonly table: VSchemaTable; readonly names: ReadonlySet<string> }[];
  readonly keyspaces: ReadonlySet<string>;
}

/** Resolves FROM-list tables (and tables in WHERE subqueries). Throws 1146 for unknown tables. */
export function resolveFrom(ctx: PlanningContext, from: readonly TableExpr[], where?: Expr): ResolvedTables & { derived: boolean; subqueryTables: VSchemaTable[] } {
  const { tables, derived } = collectTables(from);
  const resolved = tables.map((t) => ({
    table: resolveTable(ctx, t.name),
    names: new Set([(t.alias ?? t.name.name).toLowerCase()]),
  }));
  const subqueryTables: VSchemaTable[] = [];
  if (where) {
    mapExpr(where, (e) => {
      if (e.kind === "Subquery" || e.kind === "Exists") subqueryTables.push(...selectTables(ctx, e.select));
      return undefined;
    });
  }
  const derivedTables: VSchemaTable[] = [];
  if (derived) for (const t of from) addDerivedTables(ctx, t, derivedTables);
  const keyspaces = new Set([...resolved.map((r) => r.table.keyspace.name), ...subqueryTables.map((t) => t.keyspace.name), ...derivedTables.map((t) => t.keyspace.name)]);
  return { tables: resolved, keyspaces, derived, subqueryTables: [...subqueryTables, ...derivedTables] };
}

function addDerivedTables(ctx: PlanningContext, t: TableExpr, out: VSchemaTable[]): void {
  if (t.kind === "DerivedTable") out.push(...selectTables(ctx, t.select));
  else if (t.kind === "JoinTable") { addDerivedTables(ctx, t.left, out); addDerivedTables(ctx, t.right, out); }
}

export function selectTables(ctx: PlanningContext, s: SelectStatement): VSchemaTable[] {
  if (s.kind === "Union") return [...selectTables(ctx, s.left), ...selectTables(ctx, s.right)];
  const r = resolveFrom(ctx, s.from, s.where);
  return [...r.tables.map((t) => t.table), ...r.subqueryTables];
}

/** True when a FROM list has a JOIN (ON conditions to look at). */
function hasJoin(from: readonly TableExpr[]): boolean {
  for (const t of from) if (t.kind === "JoinTable") return true;
  return false;
}

/** Plans a SELECT or UNION. */
export function planSelect(ctx: PlanningContext, stmt: SelectStatement): PlanNode {
  if (stmt.kind === "Union") return planUnion(ctx, stmt);
  if (stmt.calcFoundRows) return planCalcFoundRows(ctx, stmt);
  const dba = planDBA(ctx, stmt);
  if (dba) return dba;
  const joined = hasJoin(stmt.from);
  if (joined) {
    const hoisted = hoistOnSubqueries(stmt);
    if (hoisted !== stmt) return planSelect(ctx, hoisted);
  }
  const r = resolveFrom(ctx, stmt.from, stmt.where);
  if (r.tables.length === 0 && r.subqueryTables.length === 0) return planDual(ctx, stmt);
  if (joined && outerJoinOnSubqueries(stmt.from).some((q) => selectTables(ctx, q).some((t) => t.keyspace.sharded && t.type !== "reference"))) {
    throw VT.VT12001("subquery over sharded tables in the ON condition of an outer join");
  }
  if (r.keyspaces.size > 1) return joinPlan(ctx, stmt);
  const first = r.tables[0]?.table ?? r.subqueryTables[0]!;
  const ks: KeyspaceRef = { name: first.keyspace.name, sharded: first.keyspace.sharded };
  const stripped = stripSelect(stmt, r.keyspaces) as Select;
  const tableName = r.tables.map((t) => t.table.name).join(", ");
  if (!ks.sharded) return finishRoute({ kind: "Route", opcode: "Unsharded", keyspace: ks, tableName }, stripped);
  const sharded = r.tables.filter((t) => t.table.type !== "reference");
  const listSubqueries = [...stmt.columns.flatMap((c) => (c.kind === "AliasedExpr" ? subqueriesOf(c.expr) : [])), ...subqueriesOf(stmt.having), ...stmt.orderBy.flatMap((o) => subqueriesOf(o.expr))];
  const listShardedSubquery = listSubqueries.some((q) => selectTables(ctx, q).some((t) => t.type !== "reference"));
  if (sharded.length === 0 && !listShardedSubquery && r.subqueryTables.every((t) => t.type === "reference")) {
    return finishRoute({ kind: "Route", opcode: "Reference", keyspace: ks, tableName }, stripped);
  }
  if (r.derived) {
    const derived = planDerived(ctx, stmt);
    if (derived) return derived;
    // A derived table joined to what it is not co-located with: a nested-loop join of the two sides.
    if (!listShardedSubquery && subqueriesOf(stmt.where).length === 0) return joinPlan(ctx, stmt);
  }
  if (r.derived || listShardedSubquery || r.subqueryTables.some((t) => t.type !== "reference")) {
    const colocated = !r.derived && subqueriesColocated(ctx, sharded, stmt);
    if (!colocated) {
      const pulled = r.derived ? planSubqueryApply(ctx, stmt)
        : pulloutSubqueries(ctx, stmt) ?? planCorrelatedColumns(ctx, stmt) ?? planCorrelatedWhere(ctx, stmt) ?? planSubqueryApply(ctx, stmt);
      if (pulled) return pulled;
      throw VT.VT12001("subqueries and derived tables over sharded tables (only single-route queries are planned)");
    }
  }
  if (sharded.length > 1 && !joinedOnPrimaryVindex(sharded, [...joinConditions(stmt.from), ...conjuncts(stmt.where)])) {
    return joinPlan(ctx, stmt);
  }
  const choice = routeForTables(sharded, stmt.where);
  const base: RouteBase = routeBase(ks, tableName, choice);
  const sel = choice.inPredicate ? withVals(stripped, choice.inPredicate) : stripped;
  try {
    return planHorizon(sel, base, shardKeyColumns(sharded), enumColumns(r.tables));
  } catch (e) {
    // What the shards cannot pre-aggregate (several DISTINCT aggregates, ...) is gathered and evaluated in vtgate.
    if (!(e instanceof SqlError) || !e.message.startsWith("VT12001")) throw e;
    let gathered: PlanNode | undefined;
    try {
      gathered = planGather(ctx, stmt);
    } catch {
      gathered = undefined; // the shard-side reason is the clearer error
    }
    if (gathered) return gathered;
    throw e;
  }
}

/**
 * A cross-shard join; aggregation, HAVING, DISTINCT, expressions over both sides and WHERE on the right side of a
 * LEFT JOIN are evaluated in vtgate over the joined rows.
 */
function joinPlan(ctx: PlanningContext, original: Select): PlanNode {
  const stmt = resolveJoinColumns(ctx, original);
  const side = planSelect as (c: PlanningContext, s: Select) => PlanNode;
  const join = (c: PlanningContext, s: Select) => planJoin(c, s, side);
  const subqueries = [...stmt.columns.flatMap((c) => (c.kind === "AliasedExpr" ? subqueriesOf(c.expr) : [])), ...subqueriesOf(stmt.where), ...stmt.orderBy.flatMap((o) => subqueriesOf(o.expr))];
  const applied = subqueries.length > 0 ? planSubqueryApply(ctx, stmt) : undefined;
  if (applied) return applied;
  const { postFilters, crossSide } = joinNeedsVtgate(stmt);
  return needsHorizon(stmt) || crossSide || postFilters.length > 0 ? planJoinHorizon(ctx, stmt, join, postFilters) : join(ctx, stmt);
}

/** Vindex types under which equal values (as GROUP BY compares them) always live on the same shard. */
const GROUPING_SAFE = new Set(["hash", "xxhash", "numeric", "unicode_loose_md5", "unicode_loose_xxhash", "reverse_bits", "binary", "binary_md5"]);

/**
 * Column references (`col`, `alias.col`, `table.col`, lower-case) that are a table's single-column primary vindex:
 * a GROUP BY on one of them never spans shards, so grouping can be pushed down whole.
 */
export function shardKeyColumns(tables: ResolvedTables["tables"]): Set<string> {
  const out = new Set<string>();
  for (const t of tables) {
    const pv = t.table.columnVindexes[0];
    if (pv === undefined || pv.columns.length !== 1 || !GROUPING_SAFE.has(pv.vindex.typeName)) continue;
    const col = pv.columns[0]!.toLowerCase();
    if (tables.length === 1) out.add(col);
    out.add(`${t.table.name.toLowerCase()}.${col}`);
    for (const n of t.names) out.add(`${n}.${col}`);
  }
  return out;
}

/** Column references (as in shardKeyColumns) of ENUM and SET columns, which sort by their index, not their text. */
export function enumColumns(tables: ResolvedTables["tables"]): Set<string> {
  const out = new Set<string>();
  for (const t of tables) {
    for (const c of t.table.columns) {
      if (c.type !== Type.ENUM && c.type !== Type.SET) continue;
      const col = c.name.toLowerCase();
      if (tables.length === 1) out.add(col);
      out.add(`${t.table.name.toLowerCase()}.${col}`);
      for (const n of t.names) out.add(`${n}.${col}`);
    }
  }
  return out;
}

/** The subqueries (and EXISTS) of an expression, not descending into them. */
export function subqueriesOf(e: Expr | undefined): SelectStatement[] {
  const out: SelectStatement[] = [];
  if (e) mapExpr(e, (x) => (x.kind === "Subquery" || x.kind === "Exists" ? (out.push(x.select), x) : undefined));
  return out;
}

/**
 * True when every sharded table of the statement and of its WHERE subqueries is tied to the others by equality on
 * their primary vindex columns (joins, correlations, or `col IN (SELECT col ...)`), so one route per shard answers it.
 */
function subqueriesColocated(ctx: PlanningContext, outer: ResolvedTables["tables"], stmt: Select): boolean {
  const tables = [...outer];
  const conds: Expr[] = [...joinConditions(stmt.from), ...conjuncts(stmt.where)];
  const visit = (sel: SelectStatement): boolean => {
    if (sel.kind !== "Select") return false;
    const r = resolveFrom(ctx, sel.from, sel.where);
    if (r.derived) return false;
    tables.push(...r.tables.filter((t) => t.table.type !== "reference"));
    conds.push(...joinConditions(sel.from), ...conjuncts(sel.where));
    return subqueriesOf(sel.where).every(visit);
  };
  const listSubqueries = [...stmt.columns.flatMap((c) => (c.kind === "AliasedExpr" ? subqueriesOf(c.expr) : [])), ...subqueriesOf(stmt.having), ...stmt.orderBy.flatMap((o) => subqueriesOf(o.expr))];
  if (![...subqueriesOf(stmt.where), ...listSubqueries].every(visit)) return false;
  // `x IN (SELECT y ...)` ties x to y like `x = y`.
  for (const c of conjuncts(stmt.where)) {
    if (c.kind === "Binary" && (c.op === "in" || c.op === "not in") && c.right.kind === "Tuple" && c.right.exprs.length === 1) {
      const sq = c.right.exprs[0]!;
      if (sq.kind === "Subquery" && sq.select.kind === "Select" && sq.select.columns.length === 1 && sq.select.columns[0]!.kind === "AliasedExpr") {
        conds.push({ kind: "Binary", op: "=", left: c.left, right: sq.select.columns[0]!.expr });
      }
    }
  }
  return outer.length > 0 && joinedOnPrimaryVindex(tables, conds);
}

/** Names (aliases and table names, lower-case) a SELECT's FROM list defines, including nested joins. */
export function definedNames(sel: Select): Set<string> {
  const { tables } = collectTables(sel.from);
  const out = new Set<string>();
  for (const t of tables) { out.add((t.alias ?? t.name.name).toLowerCase()); out.add(t.name.name.toLowerCase()); }
  const derived = (t: TableExpr): void => {
    if (t.kind === "DerivedTable") out.add(t.as.toLowerCase());
    else if (t.kind === "JoinTable") { derived(t.left); derived(t.right); }
  };
  sel.from.forEach(derived);
  return out;
}

/** True when `sel` references a qualified column of a table it does not define (a correlated subquery). */
function isCorrelated(sel: SelectStatement, outerNames: ReadonlySet<string> = new Set()): boolean {
  if (sel.kind === "Union") return isCorrelated(sel.left, outerNames) || isCorrelated(sel.right, outerNames);
  const own = definedNames(sel);
  let found = false;
  const check = (e: Expr): Expr | undefined => {
    if (e.kind === "Column" && e.table !== undefined && !own.has(e.table.toLowerCase())) found = true;
    if (e.kind === "Subquery" || e.kind === "Exists") {
      if (isCorrelated(e.select, new Set([...outerNames, ...own]))) found = true;
      return e;
    }
    return undefined;
  };
  const exprs: Expr[] = [
    ...sel.columns.flatMap((c) => (c.kind === "AliasedExpr" ? [c.expr] : [])), ...(sel.where ? [sel.where] : []),
    ...sel.groupBy, ...(sel.having ? [sel.having] : []), ...joinConditions(sel.from),
  ];
  for (const e of exprs) mapExpr(e, check);
  return found;
}

/**
 * Plans uncorrelated WHERE subqueries over sharded tables as UncorrelatedSubquery nodes: each subquery runs first
 * and the outer query reads its result from bind variables (`::__sqN`, `:__sq_has_valuesN`). Undefined when a
 * subquery is correlated.
 */
function pulloutSubqueries(ctx: PlanningContext, stmt: Select): PlanNode | undefined {
  const pulled: { opcode: UncorrelatedSubquery["opcode"]; sel: SelectStatement; n: number }[] = [];
  let next = 1;
  let correlated = false;
  const take = (opcode: UncorrelatedSubquery["opcode"], sel: SelectStatement): number => {
    if (isCorrelated(sel)) correlated = true;
    const n = next++;
    pulled.push({ opcode, sel, n });
    return n;
  };
  const arg = (name: string, list = false): Expr => (list ? { kind: "Arg", name, list: true } : { kind: "Arg", name });
  const rewrite = (e: Expr): Expr | undefined => {
    if (e.kind === "Binary" && (e.op === "in" || e.op === "not in") && e.right.kind === "Tuple" && e.right.exprs.length === 1 && e.right.exprs[0]!.kind === "Subquery") {
      const not = e.op === "not in";
      const n = take(not ? "PulloutNotIn" : "PulloutIn", e.right.exprs[0]!.select);
      const hv = arg(`__sq_has_values${n}`);
      const test: Expr = { kind: "Binary", op: e.op, left: e.left, right: arg(`__sq${n}`, true) };
      return not
        ? { kind: "Binary", op: "or", left: { kind: "Unary", op: "not", expr: hv }, right: test }
        : { kind: "Binary", op: "and", left: hv, right: test };
    }
    if (e.kind === "Exists") {
      const hv = arg(`__sq_has_values${take("PulloutExists", e.select)}`);
      return e.not ? { kind: "Unary", op: "not", expr: hv } : hv;
    }
    if (e.kind === "Subquery") return arg(`__sq${take("PulloutValue", e.select)}`);
    return undefined;
  };
  const columns = stmt.columns.map((c) => (c.kind === "AliasedExpr" ? { ...c, expr: mapExpr(c.expr, rewrite) } : c));
  const where = stmt.where ? mapExpr(stmt.where, rewrite) : undefined;
  const having = stmt.having ? mapExpr(stmt.having, rewrite) : undefined;
  if (correlated || pulled.length === 0) return undefined;
  const outer: Select = { ...stmt, columns, ...(where ? { where } : {}), ...(having ? { having } : {}) };
  let node = planSelect(ctx, outer);
  for (const p of pulled.reverse()) {
    node = { kind: "UncorrelatedSubquery", opcode: p.opcode, resultName: `__sq${p.n}`, hasValuesName: `__sq_has_values${p.n}`, subquery: planSelect(ctx, p.sel), outer: node };
  }
  return node;
}

/** Route fields from a routing choice. */
export function routeBase(ks: KeyspaceRef, tableName: string, choice: RouteChoice): RouteBase {
  return {
    kind: "Route", opcode: choice.opcode, keyspace: ks, tableName,
    ...(choice.vindex ? { vindex: choice.vindex } : {}),
    ...(choice.values ? { values: choice.values } : {}),
  };
}

export function withVals(sel: Select, pred: Expr): Select {
  if (!sel.where) return sel;
  const where = mapExpr(sel.where, (e) => (sameIn(e, pred) ? { ...(e as Extract<Expr, { kind: "Binary" }>), right: VALS_ARG } : undefined));
  return { ...sel, where };
}

/** Identity survives stripSelect only for untouched WHERE nodes, so compare structurally. */
const sameIn = (a: Expr, b: Expr): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * One route for several tables of one sharded keyspace: allowed when every table is joined to another on their
 * primary vindex columns with the same vindex. The cheapest table choice wins.
 */
export function routeForTables(tables: ResolvedTables["tables"], where: Expr | undefined): RouteChoice {
  let best: RouteChoice | undefined;
  for (const t of tables) {
    const c = chooseRouting(t.table, t.names, where);
    if (!best || betterRoute(c, best)) best = c;
  }
  return best ?? { opcode: "Scatter", cost: Infinity };
}

export function joinedOnPrimaryVindex(tables: ResolvedTables["tables"], conds: Expr[]): boolean {
  const primary = (t: ResolvedTables["tables"][number]) => t.table.columnVindexes[0];
  const parent = tables.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = (col: Expr): number => {
    if (col.kind !== "Column") return -1;
    return tables.findIndex((t) => {
      const pv = primary(t);
      const nameOk = col.table === undefined ? tables.length === 1 : t.names.has(col.table.toLowerCase()) || t.table.name.toLowerCase() === col.table.toLowerCase();
      return pv !== undefined && pv.columns.length === 1 && nameOk && pv.columns[0]!.toLowerCase() === col.name.toLowerCase();
    });
  };
  for (const c of conds.flatMap((x) => conjuncts(x))) {
    if (c.kind !== "Binary" || c.op !== "=") continue;
    const a = owner(c.left);
    const b = owner(c.right);
    if (a < 0 || b < 0 || a === b) continue;
    if (primary(tables[a]!)!.name !== primary(tables[b]!)!.name) continue;
    parent[find(a)] = find(b);
  }
  return tables.every((_, i) => find(i) === find(0));
}

const SYSTEM_SCHEMAS = new Set(["information_schema", "mysql", "performance_schema", "sys"]);
/** information_schema columns naming a schema: a filter on one routes the query to that keyspace. */
const SCHEMA_COLUMNS = new Set(["table_schema", "schema_name", "trigger_schema", "event_object_schema", "routine_schema", "constraint_schema", "unique_constraint_schema", "referenced_table_schema", "index_schema", "event_schema", "db"]);

/** Queries on system schemas (information_schema, mysql, ...) go to any shard of the session keyspace (DBA). */
function planDBA(ctx: PlanningContext, sel: Select): Route | undefined {
  const { tables } = collectTables(sel.from);
  const system = tables.filter((t) => t.name.qualifier !== undefined && SYSTEM_SCHEMAS.has(t.name.qualifier.toLowerCase()));
  if (system.length === 0) return undefined;
  if (system.length !== tables.length) throw VT.VT12001("join of system schema tables with keyspace tables");
  const route = planDual(ctx, sel);
  const schemas = conjuncts(sel.where).flatMap((c) => {
    if (c.kind !== "Binary" || c.op !== "=") return [];
    for (const [col, val] of [[c.left, c.right], [c.right, c.left]] as const) {
      if (col.kind !== "Column" || !SCHEMA_COLUMNS.has(col.name.toLowerCase())) continue;
      const v = translateExpr(val);
      if (v) return [v];
    }
    return [];
  });
  return {
    ...route, opcode: "DBA", tableName: system.map((t) => `${t.name.qualifier}.${t.name.name}`).join(", "),
    ...(schemas.length > 0 ? { sysTableSchema: schemas } : {}),
  };
}

/** SELECT without tables: routed to any shard of the session keyspace (or the first keyspace). */
function planDual(ctx: PlanningContext, sel: Select): Route {
  let ks;
  try {
    ks = resolveKeyspace(ctx);
  } catch {
    ks = [...ctx.vschema.keyspaces.values()].sort((a, b) => a.keyspace.name.localeCompare(b.keyspace.name))[0];
  }
  if (!ks) throw VT.VT09005();
  return finishRoute({ kind: "Route", opcode: "Reference", keyspace: { name: ks.keyspace.name, sharded: ks.keyspace.sharded }, tableName: "dual" }, sel);
}

function planUnion(ctx: PlanningContext, u: Extract<SelectStatement, { kind: "Union" }>): PlanNode {
  if (u.recursive) return planRecursiveCte(ctx, { ...u, recursive: u.recursive });
  const left = planSelect(ctx, u.left);
  const right = planSelect(ctx, u.right);
  if (left.kind === "Route" && right.kind === "Route" && left.keyspace.name === right.keyspace.name &&
      ((left.opcode === "Unsharded" && right.opcode === "Unsharded") || (left.opcode === "Reference" && right.opcode === "Reference"))) {
    const ks = new Set([left.keyspace.name]);
    const stripped = stripSelect(u, ks);
    return { ...left, tableName: [left.tableName, right.tableName].join(", "), query: formatSelect(stripped), fieldQuery: formatSelect(stripped) };
  }
  const sources = [...flattenConcat(left), ...flattenConcat(right)];
  const concat: PlanNode = { kind: "Concatenate", sources };
  let node: PlanNode = u.distinct ? { kind: "Distinct", input: concat } : concat;
  if (u.orderBy.length > 0) node = { kind: "MemorySort", orderBy: u.orderBy.map((o) => ({ col: unionColumn(u, o.expr), desc: o.desc })), input: node };
  if (u.limit) {
    const count = translateExpr(u.limit.count);
    const offset = u.limit.offset ? translateExpr(u.limit.offset) : undefined;
    if (!count || (u.limit.offset && !offset)) throw VT.VT12001("LIMIT with non-literal values on a UNION across shards");
    node = { kind: "Limit", count, ...(offset ? { offset } : {}), input: node };
  }
  return node;
}

/** Offset of a UNION's ORDER BY item: a position, or a column name/alias of the first SELECT. */
function unionColumn(u: SelectStatement, e: Expr): number {
  let first = u;
  while (first.kind === "Union") first = first.left;
  if (e.kind === "Literal" && e.type === "int") return Number(e.value) - 1;
  if (e.kind === "Column") {
    const i = first.columns.findIndex((c) => c.kind === "AliasedExpr" &&
      ((c.as !== undefined && c.as.toLowerCase() === e.name.toLowerCase()) || (c.as === undefined && c.expr.kind === "Column" && c.expr.name.toLowerCase() === e.name.toLowerCase())));
    if (i >= 0) return i;
  }
  throw VT.VT12001(`ORDER BY ${formatExpr(e)} on a UNION across shards: use a column of the result`);
}

const flattenConcat = (n: PlanNode): PlanNode[] => (n.kind === "Concatenate" ? [...n.sources] : [n]);

export type { TableName };
