import { SqlError, VT } from "@vt/errors";
import { translateExpr } from "@vt/evalengine";
import type { AggregateParam, GroupByParam, OrderByParam, PlanNode, Route } from "@vt/plan";
import { AGGREGATES, formatExpr, formatSelect, isAggregate, type AliasedExpr, type Expr, type FuncCall, type Select, type SelectExpr, type WindowFunc } from "@vt/sqlparser";
import { FALSE_WHERE, mapExpr } from "./rewrite.js";
import { planWindowGather } from "./window-planner.js";

/** A route whose query is not yet fixed: the horizon decides the shard SELECT. */
export type RouteBase = Omit<Route, "query" | "fieldQuery" | "orderBy" | "truncateColumnCount">;

const MULTI_SHARD = new Set(["Scatter", "Equal", "IN", "ByDestination"]);

/**
 * Builds the plan on top of a route: single-shard routes take the whole SELECT; multi-shard routes push GROUP BY /
 * ORDER BY / LIMIT down and merge in vtgate (aggregates, merge-sort, Limit, Distinct).
 * Throws VT12001 for what cannot be merged yet (HAVING or DISTINCT aggregates across shards, ...).
 */
export function planHorizon(
  sel: Select, base: RouteBase, shardKeys: ReadonlySet<string> = new Set(), enums: ReadonlySet<string> = new Set(),
): PlanNode {
  if (!MULTI_SHARD.has(base.opcode) || base.targetDestination) return finishRoute(base, sel);
  // A window function over rows of several shards would see only its shard's rows.
  if (sel.rollup && sel.orderBy.length > 0) throw new SqlError(1221, "HY000", "Incorrect usage of CUBE/ROLLUP and ORDER BY", "INVALID_ARGUMENT");
  // Gathered instead (planGather): each shard would add its own super-aggregate rows.
  if (sel.rollup) throw VT.VT12001("WITH ROLLUP across shards");
  const hasAggr = sel.groupBy.length > 0 || sel.columns.some((c) => c.kind === "AliasedExpr" && containsAggregate(c.expr));
  // Grouping on a shard key: every group lives on one shard, so shards aggregate (and filter HAVING) on their own.
  const isKey = (e: Expr) => e.kind === "Column" && shardKeys.has((e.table ? `${e.table}.${e.name}` : e.name).toLowerCase());
  const keyed = sel.groupBy.some(isKey);
  const windows = windowFuncs(sel);
  if (windows.length > 0) {
    // Partitions that contain a unique shard key never span shards: the shards compute the windows themselves.
    const local = windows.every((w) => w.over.partitionBy.some(isKey));
    if (!local || (hasAggr && !keyed)) return planWindowGather(sel, base, enums, shardKeys);
    return planOrderLimit(sel, base, sel.distinct, enums);
  }
  if (hasAggr && !keyed) {
    const complex = sel.columns.some((c) => c.kind === "AliasedExpr" && containsAggregate(c.expr) && !isAggregate(c.expr));
    return complex ? planAggregateExpressions(sel, base, enums) : planAggregation(sel, base, enums);
  }
  return planOrderLimit(sel, base, sel.distinct, enums);
}

/** The window functions of a SELECT's select list and ORDER BY (not inside subqueries). */
export function windowFuncs(sel: Select): WindowFunc[] {
  const out: WindowFunc[] = [];
  for (const c of sel.columns) if (c.kind === "AliasedExpr") mapExpr(c.expr, (x) => windowFuncInto(x, out));
  for (const o of sel.orderBy) mapExpr(o.expr, (x) => windowFuncInto(x, out));
  return out;
}

/** mapExpr visitor: collects window functions, does not descend into them or into subqueries. */
function windowFuncInto(x: Expr, out: WindowFunc[]): Expr | undefined {
  if (x.kind === "WindowFunc") {
    out.push(x);
    return x;
  }
  return x.kind === "Subquery" || x.kind === "Exists" ? x : undefined;
}

const columnKey = (e: Expr): string | undefined =>
  e.kind === "Column" ? (e.table ? `${e.table}.${e.name}` : e.name).toLowerCase() : undefined;

function containsAggregate(e: Expr): boolean {
  switch (e.kind) {
    case "Binary": return containsAggregate(e.left) || containsAggregate(e.right);
    case "Unary": return containsAggregate(e.expr);
    case "FuncCall": return AGGREGATES.has(e.name) || e.args.some(containsAggregate);
    default: return false;
  }
}

/** The Route node for a shard SELECT. */
export function finishRoute(base: RouteBase, sel: Select, orderBy?: readonly OrderByParam[], truncate?: number): Route {
  const fieldSel: Select = { ...sel, where: FALSE_WHERE, groupBy: [], orderBy: [], distinct: false };
  delete (fieldSel as { limit?: unknown }).limit;
  delete (fieldSel as { having?: unknown }).having;
  delete (fieldSel as { lock?: unknown }).lock;
  return {
    ...base, query: formatSelect(sel), fieldQuery: formatSelect(fieldSel),
    ...(orderBy && orderBy.length > 0 ? { orderBy } : {}),
    ...(truncate !== undefined ? { truncateColumnCount: truncate } : {}),
  };
}

/** Column list being built for a shard query, with offset lookup and appends. */
class Columns {
  readonly cols: SelectExpr[];
  readonly original: number;
  readonly hasStar: boolean;
  constructor(cols: readonly SelectExpr[]) {
    this.cols = [...cols];
    this.original = cols.length;
    this.hasStar = cols.some((c) => c.kind === "Star");
  }
  /** Offset of `e` (position literal, alias or same expression), appending it when absent. Negative: from the end. */
  offsetOf(e: Expr): number {
    if (e.kind === "Literal" && e.type === "int") {
      const n = Number(e.value);
      if (this.hasStar) throw VT.VT12001("column offset in ORDER BY/GROUP BY together with '*' on a sharded keyspace");
      return n - 1;
    }
    const text = formatExpr(e);
    const i = this.cols.findIndex((c) => c.kind === "AliasedExpr" && (formatExpr(c.expr) === text || (e.kind === "Column" && e.table === undefined && c.as?.toLowerCase() === e.name.toLowerCase())));
    if (i >= 0 && !this.hasStar) return i;
    if (i >= this.original) return i - this.cols.length;
    this.cols.push({ kind: "AliasedExpr", expr: e });
    return this.hasStar ? -1 : this.cols.length - 1;
  }
  /** Appends `e` and returns its offset (negative from the end when the list has a '*'). */
  append(e: AliasedExpr): number {
    this.cols.push(e);
    return this.hasStar ? -1 : this.cols.length - 1;
  }
  get truncate(): number | undefined {
    if (this.cols.length === this.original) return undefined;
    return this.hasStar ? this.original - this.cols.length : this.original;
  }
}

/** ENUM/SET columns sort by index: the merge compares a hidden `col + 0` instead of the text. */
function sortExpr(e: Expr, enums: ReadonlySet<string>): Expr {
  const k = enums.size === 0 ? undefined : columnKey(e);
  return k !== undefined && enums.has(k) ? { kind: "Binary", op: "+", left: e, right: { kind: "Literal", type: "int", value: "0" } } : e;
}

function planOrderLimit(sel: Select, base: RouteBase, distinct: boolean, enums: ReadonlySet<string> = new Set()): PlanNode {
  const cols = new Columns(sel.columns);
  const order = sel.orderBy.map((o) => ({ col: cols.offsetOf(sortExpr(o.expr, enums)), desc: o.desc }));
  const fixed = fixNegative(order, cols);
  const shardSel: Select = { ...sel, columns: cols.cols, ...(sel.limit ? { limit: { count: { kind: "Arg", name: "__upper_limit" } } } : {}) };
  if (distinct) delete (shardSel as { limit?: unknown }).limit;
  let node: PlanNode = finishRoute(base, shardSel, fixed, distinct ? undefined : cols.truncate);
  if (distinct) node = { kind: "Distinct", ...(cols.truncate !== undefined ? { truncateColumnCount: cols.truncate } : {}), input: node };
  return withLimit(sel, node);
}

/** Offsets appended after a '*' were recorded as -1; renumber them from the end (-k .. -1). */
function fixNegative<T extends { col: number }>(params: T[], cols: Columns): T[] {
  if (!cols.hasStar) return params;
  const appended = cols.cols.length - cols.original;
  let seen = 0;
  return params.map((p) => (p.col === -1 ? { ...p, col: -(appended - seen++) } : p));
}

function withLimit(sel: Select, node: PlanNode): PlanNode {
  if (!sel.limit) return node;
  const count = translateExpr(sel.limit.count);
  const offset = sel.limit.offset ? translateExpr(sel.limit.offset) : undefined;
  if (!count || (sel.limit.offset && !offset)) throw VT.VT12001("LIMIT with non-literal values on a sharded keyspace");
  return { kind: "Limit", count, ...(offset ? { offset } : {}), input: node };
}

const MERGE: Record<string, AggregateParam["opcode"]> = { count: "count", sum: "sum", min: "min", max: "max", any_value: "any_value" };

function planAggregation(sel: Select, base: RouteBase, enums: ReadonlySet<string> = new Set()): PlanNode {
  if (sel.columns.some((c) => c.kind === "Star")) throw VT.VT12001("'*' together with aggregation on a sharded keyspace");
  const cols = new Columns(sel.columns);
  const aggregates: AggregateParam[] = [];
  let distinctKey: string | undefined;
  const distinctCols: number[] = [];
  const distinctArgs: Expr[] = [];
  const addAggregate = (e: Expr, i: number, as: string | undefined, alias: string): void => {
    if (!isAggregate(e)) throw VT.VT12001(`aggregate inside an expression on a sharded keyspace: ${formatExpr(e)}`);
    if (e.distinct) {
      const key = e.args.map(formatExpr).join(", ");
      if (distinctKey !== undefined && distinctKey !== key) throw VT.VT12001(`several DISTINCT aggregates on a sharded keyspace: ${formatExpr(e)}`);
      if (e.name !== "count" && e.name !== "sum") throw VT.VT12001(`DISTINCT aggregate on a sharded keyspace: ${formatExpr(e)}`);
      if (e.name === "sum" && e.args.length !== 1) throw VT.VT12001(`DISTINCT aggregate on a sharded keyspace: ${formatExpr(e)}`);
      distinctKey = key;
      cols.cols[i] = { kind: "AliasedExpr", expr: e.args[0]!, as: as ?? alias };
      const rest = e.args.slice(1).map((a) => cols.append({ kind: "AliasedExpr", expr: a }));
      if (distinctCols.length === 0) distinctCols.push(i, ...rest);
      if (distinctArgs.length === 0) distinctArgs.push(...e.args);
      aggregates.push({ opcode: e.name === "count" ? "count_distinct" : "sum_distinct", col: i, alias, ...(rest.length > 0 ? { distinctCols: rest } : {}) });
      return;
    }
    if (e.name === "avg") {
      cols.cols[i] = { kind: "AliasedExpr", expr: { kind: "FuncCall", name: "sum", args: e.args }, ...(as ? { as } : {}) };
      const countCol = cols.append({ kind: "AliasedExpr", expr: { kind: "FuncCall", name: "count", args: e.args } });
      aggregates.push({ opcode: "avg", col: i, countCol, alias });
      return;
    }
    if (e.name === "json_arrayagg" || e.name === "json_objectagg") {
      // Shard JSON arrays/objects are spliced together in vtgate (MariaDB formats every element itself).
      if (e.orderBy || e.distinct) throw VT.VT12001(`${e.name.toUpperCase()} with DISTINCT or ORDER BY on a sharded keyspace: ${formatExpr(e)}`);
      aggregates.push({ opcode: e.name, col: i, alias });
      return;
    }
    if (e.name === "group_concat") {
      // Shard strings join in vtgate; DISTINCT or ORDER BY need all values in one place (gathered instead).
      if (e.orderBy || e.distinct) throw VT.VT12001(`GROUP_CONCAT with DISTINCT or ORDER BY on a sharded keyspace: ${formatExpr(e)}`);
      aggregates.push({ opcode: "group_concat", col: i, alias, ...(e.separator !== undefined ? { separator: e.separator } : {}) });
      return;
    }
    const op = e.name === "count" && e.args[0]?.kind === "Star" ? "count_star" : MERGE[e.name];
    if (!op) throw VT.VT12001(`aggregate ${e.name} on a sharded keyspace`);
    aggregates.push({ opcode: op, col: i, alias });
  };
  sel.columns.forEach((c, i) => {
    if (c.kind !== "AliasedExpr" || !containsAggregate(c.expr)) return;
    addAggregate(c.expr, i, c.as, c.as ?? formatExpr(c.expr));
  });
  const groupBy: GroupByParam[] = sel.groupBy.map((g) => ({ col: cols.offsetOf(g), desc: false }));
  // ENUM/SET group keys: the shards sort, and vtgate merges and groups, by the index (a hidden `col + 0`, as MariaDB
  // orders them); the text column is carried along as any_value.
  const enumKey = new Map<number, number>();
  groupBy.forEach((g, i) => {
    const k = columnKey(sel.groupBy[i]!);
    if (k === undefined || !enums.has(k)) return;
    const hidden = cols.append({ kind: "AliasedExpr", expr: { kind: "Binary", op: "+", left: sel.groupBy[i]!, right: { kind: "Literal", type: "int", value: "0" } } });
    enumKey.set(g.col, hidden);
    groupBy[i] = { col: hidden, desc: false };
  });
  // Non-aggregate, non-group columns keep any row's value.
  sel.columns.forEach((c, i) => {
    if (c.kind === "AliasedExpr" && !containsAggregate(c.expr) && !groupBy.some((g) => g.col === i)) {
      aggregates.push({ opcode: "any_value", col: i, alias: c.as ?? formatExpr(c.expr) });
    }
  });
  // Offsets of HAVING / ORDER BY expressions over the aggregated row; missing aggregates and columns are appended.
  const resolve = (e: Expr): number | undefined => {
    if (e.kind === "Literal" || e.kind === "Arg") return undefined;
    if (e.kind === "Column" && e.table === undefined) {
      const byAlias = sel.columns.findIndex((c) => c.kind === "AliasedExpr" && !c.implicitAlias && c.as?.toLowerCase() === e.name.toLowerCase());
      if (byAlias >= 0) return byAlias;
    }
    const text = formatExpr(e);
    const existing = sel.columns.findIndex((c) => c.kind === "AliasedExpr" && formatExpr(c.expr) === text);
    if (existing >= 0) return existing;
    const appended = cols.cols.findIndex((c, i) => i >= sel.columns.length && c.kind === "AliasedExpr" && formatExpr(c.expr) === text &&
      aggregates.some((a) => a.col === i));
    if (appended >= 0) return appended;
    if (isAggregate(e)) {
      const j = cols.append({ kind: "AliasedExpr", expr: e });
      addAggregate(e, j, undefined, text);
      return j;
    }
    if (e.kind !== "Column") return undefined;
    const j = cols.offsetOf(e);
    if (!groupBy.some((g) => g.col === j) && !aggregates.some((a) => a.col === j)) aggregates.push({ opcode: "any_value", col: j, alias: text });
    return j;
  };
  let predicate;
  if (sel.having) {
    predicate = translateExpr(sel.having, resolve);
    if (!predicate) throw VT.VT12001(`HAVING expression on a multi-shard aggregation: ${formatExpr(sel.having)}`);
  }
  // Sort shards by ORDER BY keys that are group keys (in their direction), then the remaining group keys.
  const orderOffsets = sel.orderBy.map((o) => {
    const col = resolve(o.expr) ?? cols.offsetOf(o.expr);
    return { col: enumKey.get(col) ?? col, desc: o.desc };
  });
  const sortable = orderOffsets.every((o) => groupBy.some((g) => g.col === o.col));
  const routeOrder: OrderByParam[] = sortable ? [...orderOffsets] : [];
  for (const g of groupBy) if (!routeOrder.some((o) => o.col === g.col)) routeOrder.push({ col: g.col, desc: false });
  const groupOrder = [...routeOrder];
  for (const c of distinctCols) if (!routeOrder.some((o) => o.col === c)) routeOrder.push({ col: c, desc: false });
  const shardSel: Select = {
    ...sel, columns: cols.cols, groupBy: [...sel.groupBy, ...distinctArgs],
    orderBy: routeOrder.map((o) => ({ expr: offsetExpr(cols, o.col), desc: o.desc })),
  };
  delete (shardSel as { limit?: unknown }).limit;
  delete (shardSel as { having?: unknown }).having;
  const truncate = cols.truncate;
  const aggTruncate = predicate === undefined && truncate !== undefined ? { truncateColumnCount: truncate } : {};
  let node: PlanNode;
  if (groupBy.length === 0) {
    node = { kind: "ScalarAggregate", aggregates, ...aggTruncate, input: finishRoute(base, shardSel, distinctCols.length > 0 ? routeOrder : undefined) };
  } else {
    const gb = groupBy.map((g) => ({ col: g.col, desc: groupOrder.find((o) => o.col === g.col)?.desc ?? false }));
    node = { kind: "OrderedAggregate", aggregates, groupBy: gb, ...aggTruncate, input: finishRoute(base, shardSel, routeOrder) };
  }
  if (predicate !== undefined) node = { kind: "Filter", predicate, input: node };
  const late = predicate !== undefined && truncate !== undefined;
  if (!sortable && orderOffsets.length > 0) {
    node = { kind: "MemorySort", orderBy: orderOffsets, ...(late ? { truncateColumnCount: truncate } : {}), input: node };
  } else if (late) {
    node = { kind: "Projection", cols: Array.from({ length: truncate }, (_, i) => i), input: node };
  }
  return withLimit(sel, node);
}

/**
 * Select items that compute over aggregates (`MIN(name) = MAX(name)`, `SUM(a) / COUNT(*)`): the aggregation is
 * planned with each item's aggregates and columns as hidden select items, and an EvalProjection computes the items.
 */
function planAggregateExpressions(sel: Select, base: RouteBase, enums: ReadonlySet<string>): PlanNode {
  const width = sel.columns.length;
  const hidden: AliasedExpr[] = [];
  const hiddenTexts: string[] = [];
  const columns = sel.columns.map((c): SelectExpr => {
    if (c.kind !== "AliasedExpr" || !containsAggregate(c.expr) || isAggregate(c.expr)) return c;
    const visit = (e: Expr): void => {
      if (isAggregate(e) || e.kind === "Column") {
        const t = formatExpr(e);
        if (!hiddenTexts.includes(t)) { hiddenTexts.push(t); hidden.push({ kind: "AliasedExpr", expr: e }); }
        return;
      }
      if (e.kind === "Binary") { visit(e.left); visit(e.right); } else if (e.kind === "Unary") visit(e.expr);
      else if ((e as Expr).kind === "FuncCall") (e as unknown as FuncCall).args.forEach(visit);
      else if (e.kind !== "Literal" && e.kind !== "Arg") throw VT.VT12001(`expression over aggregates on a sharded keyspace: ${formatExpr(c.expr)}`);
    };
    visit(c.expr);
    return { kind: "AliasedExpr", expr: { kind: "Literal", type: "null", value: "" }, as: c.as ?? formatExpr(c.expr) };
  });
  const inner = planAggregation({ ...sel, columns: [...columns, ...hidden] }, base, enums);
  const exprs = sel.columns.map((c, i) => {
    if (c.kind !== "AliasedExpr" || columns[i] === c) return { kind: "Column" as const, offset: i };
    const x = translateExpr(c.expr, (e) => {
      const j = hiddenTexts.indexOf(formatExpr(e));
      return j >= 0 ? width + j : undefined;
    });
    if (!x) throw VT.VT12001(`expression over aggregates on a sharded keyspace: ${formatExpr(c.expr)}`);
    return x;
  });
  const names = sel.columns.map((c) => (c.kind === "AliasedExpr" ? c.as ?? (c.expr.kind === "Column" ? c.expr.name : formatExpr(c.expr)) : "*"));
  return { kind: "EvalProjection", exprs, names, input: inner };
}

/** The shard-side expression of column `col` (for ORDER BY in the pushed query). */
function offsetExpr(cols: Columns, col: number): Expr {
  const c = cols.cols[col];
  if (!c || c.kind !== "AliasedExpr") return { kind: "Literal", type: "int", value: String(col + 1) };
  if (c.as) return { kind: "Column", name: c.as };
  return isAggregate(c.expr) ? { kind: "Literal", type: "int", value: String(col + 1) } : c.expr;
}
