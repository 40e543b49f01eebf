import { SqlError, VT } from "@vt/errors";
import { translateExpr, type EvalExpr } from "@vt/evalengine";
import type { AggregateParam, OrderByParam, PlanNode } from "@vt/plan";
import { formatExpr, isAggregate, type Expr, type FuncCall, type Select } from "@vt/sqlparser";
import { Type } from "@vt/sqltypes";
import { mapExpr } from "./rewrite.js";

/** One output column of a relation evaluated in vtgate: its name and the table name (alias) it is known by. */
export interface RelColumn { readonly name: string; readonly table?: string }

/** Rows produced by a plan, with the names the outer query uses for its columns. */
export interface Relation { readonly node: PlanNode; readonly columns: readonly RelColumn[] }

/** Output name of a select item (its alias, the column's name, or the expression's text). */
export function itemName(e: Expr, as: string | undefined): string {
  if (as !== undefined) return as;
  if (e.kind === "Column") return e.name;
  return formatExpr(e);
}

const lower = (s: string | undefined) => s?.toLowerCase();

/** Offset of a column reference among a relation's columns (qualified names must match the table). */
export function relColumn(cols: readonly RelColumn[], e: Expr): number | undefined {
  if (e.kind !== "Column") return undefined;
  const i = cols.findIndex((c) => lower(c.name) === lower(e.name) && (e.table === undefined || c.table === undefined || lower(c.table) === lower(e.table)));
  return i >= 0 ? i : undefined;
}

/**
 * Plans a SELECT whose FROM is `rel` entirely in vtgate (the "gather" horizon): WHERE → Filter; GROUP BY and
 * aggregates → EvalProjection (keys, aggregate arguments) + MemorySort + Ordered/ScalarAggregate over raw rows;
 * HAVING → Filter; select list (expressions over aggregates too) → EvalProjection; ORDER BY → MemorySort; DISTINCT;
 * LIMIT. Expressions must be evaluable by evalengine; otherwise VT12001.
 */
export function planOverRelation(rel: Relation, sel: Select): PlanNode {
  let node = rel.node;
  const inCol = (e: Expr) => relColumn(rel.columns, e);
  const tr = (e: Expr, col: (e: Expr) => number | undefined, what: string): EvalExpr => {
    const x = translateExpr(e, col);
    if (!x) throw VT.VT12001(`${what} evaluated in vtgate: ${formatExpr(e)}`);
    return x;
  };
  if (sel.where) node = { kind: "Filter", predicate: tr(sel.where, inCol, "WHERE expression"), input: node };
  if (sel.rollup && sel.orderBy.length > 0) {
    throw new SqlError(1221, "HY000", "Incorrect usage of CUBE/ROLLUP and ORDER BY", "INVALID_ARGUMENT");
  }

  const items = sel.columns;
  const hasAggr = sel.groupBy.length > 0 ||
    items.some((c) => c.kind === "AliasedExpr" && hasAggregate(c.expr)) || (sel.having !== undefined && hasAggregate(sel.having));
  let layoutCol: (e: Expr) => number | undefined = inCol;
  let layoutNames: RelColumn[] = [...rel.columns];
  if (hasAggr) {
    if (items.some((c) => c.kind === "Star")) throw VT.VT12001("'*' together with aggregation evaluated in vtgate");
    // GROUP BY keys: positions and aliases name select items.
    const keys = sel.groupBy.map((g) => itemExpr(sel, g) ?? g);
    const keyTexts = keys.map(formatExpr);
    const aggs: FuncCall[] = [];
    const aggTexts: string[] = [];
    const anyValues: Expr[] = [];
    const anyTexts: string[] = [];
    const collect = (e: Expr): void => {
      mapExpr(e, (x) => {
        const t = formatExpr(x);
        if (keyTexts.includes(t)) return x;
        if (isAggregate(x)) {
          if (!aggTexts.includes(t)) { aggs.push(x); aggTexts.push(t); }
          return x;
        }
        if (x.kind === "Column") {
          if (keys.some((k) => k.kind === "Column" && sameColumn(k, x, rel.columns))) return x;
          if (!anyTexts.includes(t)) { anyValues.push(x); anyTexts.push(t); }
          return x;
        }
        return undefined;
      });
    };
    items.forEach((c) => c.kind === "AliasedExpr" && collect(c.expr));
    if (sel.having) collect(aliasesToItems(sel, sel.having));
    sel.orderBy.forEach((o) => collect(itemExpr(sel, o.expr) ?? o.expr));
    const pre: EvalExpr[] = keys.map((k) => tr(k, inCol, "GROUP BY expression"));
    const aggregates: AggregateParam[] = [];
    const sortKeys: OrderByParam[] = keys.map((_, i) => ({ col: i, desc: false }));
    aggs.forEach((a, i) => {
      const col = keys.length + i;
      const star = a.args.length === 0 || a.args[0]!.kind === "Star";
      const multi = a.args.length > 1;
      if ((multi && !(a.distinct && a.name === "count")) || (a.distinct && !["count", "sum", "min", "max", "group_concat"].includes(a.name))) {
        throw VT.VT12001(`aggregate evaluated in vtgate: ${formatExpr(a)}`);
      }
      pre.push(star ? { kind: "Literal", type: Type.INT64, value: "1" } : tr(a.args[0]!, inCol, "aggregate argument"));
      const opcode = rawOpcode(a, star);
      aggregates.push({ opcode, col, alias: aggTexts[i]!, raw: true });
    });
    // Further arguments of COUNT(DISTINCT a, b, ...) and GROUP_CONCAT's ORDER BY keys go after the aggregates' columns.
    let extra = keys.length + aggs.length;
    const extraNames: string[] = [];
    aggs.forEach((a, i) => {
      if (a.name === "group_concat") {
        const orderCols = (a.orderBy ?? []).map((o) => {
          pre.push(tr(itemExpr(sel, o.expr) ?? o.expr, inCol, "GROUP_CONCAT ORDER BY expression"));
          extraNames.push(formatExpr(o.expr));
          return { col: extra++, desc: o.desc };
        });
        aggregates[i] = {
          ...aggregates[i]!, ...(a.distinct ? { distinct: true } : {}), ...(orderCols.length > 0 ? { orderCols } : {}),
          ...(a.separator !== undefined ? { separator: a.separator } : {}),
        };
        return;
      }
      if (a.args.length <= 1) return;
      const cols = a.args.slice(1).map((x) => { pre.push(tr(x, inCol, "aggregate argument")); extraNames.push(formatExpr(x)); return extra++; });
      aggregates[i] = { ...aggregates[i]!, distinctCols: cols };
    });
    anyValues.forEach((v, i) => {
      const col = extra++;
      pre.push(tr(v, inCol, "column"));
      aggregates.push({ opcode: "any_value", col, alias: anyTexts[i]!, raw: true });
    });
    const preNames = [...keyTexts, ...aggTexts, ...extraNames, ...anyTexts];
    node = { kind: "EvalProjection", exprs: pre, names: preNames, input: node };
    if (sortKeys.length > 0) node = { kind: "MemorySort", orderBy: sortKeys, input: node };
    node = keys.length > 0
      ? { kind: "OrderedAggregate", aggregates, groupBy: keys.map((_, i) => ({ col: i, desc: false })), ...(sel.rollup ? { rollup: true as const } : {}), input: node }
      : { kind: "ScalarAggregate", aggregates, input: node };
    const texts = preNames;
    layoutCol = (e: Expr) => {
      const t = formatExpr(e);
      const i = texts.indexOf(t);
      if (i >= 0) return i;
      if (e.kind === "Column") {
        const k = keys.findIndex((k) => k.kind === "Column" && sameColumn(k, e, rel.columns));
        if (k >= 0) return k;
      }
      return undefined;
    };
    layoutNames = preNames.map((name) => ({ name }));
    if (sel.having) node = { kind: "Filter", predicate: tr(aliasesToItems(sel, sel.having), layoutCol, "HAVING expression"), input: node };
  }

  // Select list, then hidden ORDER BY columns.
  const exprs: EvalExpr[] = [];
  const names: string[] = [];
  for (const c of items) {
    if (c.kind === "Star") {
      layoutNames.forEach((col, i) => {
        if (c.table !== undefined && lower(col.table) !== lower(c.table)) return;
        exprs.push({ kind: "Column", offset: i });
        names.push(col.name);
      });
      continue;
    }
    exprs.push(tr(c.expr, layoutCol, "select expression"));
    names.push(itemName(c.expr, c.as));
  }
  const visible = exprs.length;
  const orderBy: OrderByParam[] = sel.orderBy.map((o) => {
    const pos = itemPosition(sel, o.expr, names);
    if (pos !== undefined) return { col: pos, desc: o.desc };
    exprs.push(tr(o.expr, layoutCol, "ORDER BY expression"));
    names.push(formatExpr(o.expr));
    return { col: exprs.length - 1, desc: o.desc };
  });
  return vtgateHorizonTail({ kind: "EvalProjection", exprs, names, input: node }, sel, orderBy, exprs.length, visible);
}

/**
 * The end of a horizon evaluated in vtgate, over a projection of `width` columns of which the first `visible` are
 * returned: ORDER BY (MemorySort), DISTINCT or dropping the hidden columns, LIMIT. VT12001 for a non-literal LIMIT.
 */
export function vtgateHorizonTail(input: PlanNode, sel: Select, orderBy: OrderByParam[], width: number, visible: number): PlanNode {
  let node = input;
  if (orderBy.length > 0) node = { kind: "MemorySort", orderBy, input: node };
  const hidden = width > visible;
  if (sel.distinct) node = { kind: "Distinct", ...(hidden ? { truncateColumnCount: visible } : {}), input: node };
  else if (hidden) node = { kind: "Projection", cols: Array.from({ length: visible }, (_, i) => i), input: node };
  if (sel.limit) {
    const count = translateExpr(sel.limit.count);
    const offset = sel.limit.offset ? translateExpr(sel.limit.offset) : undefined;
    if (!count || (sel.limit.offset && !offset)) throw VT.VT12001("LIMIT with non-literal values evaluated in vtgate");
    node = { kind: "Limit", count, ...(offset ? { offset } : {}), input: node };
  }
  return node;
}

function rawOpcode(a: FuncCall, star: boolean): AggregateParam["opcode"] {
  switch (a.name) {
    case "count": return a.distinct ? "count_distinct" : star ? "count_star" : "count";
    case "sum": return a.distinct ? "sum_distinct" : "sum";
    case "min": case "max": case "avg": case "any_value": case "group_concat": case "var_pop": case "var_samp": case "stddev_pop": case "stddev_samp": return a.name;
    case "std": case "stddev": return "stddev_pop";
    case "variance": return "var_pop";
    default: throw VT.VT12001(`aggregate ${a.name} evaluated in vtgate`);
  }
}

function hasAggregate(e: Expr): boolean {
  let found = false;
  mapExpr(e, (x) => {
    if (isAggregate(x)) found = true;
    return x.kind === "Subquery" || x.kind === "Exists" ? x : undefined;
  });
  return found;
}

function sameColumn(a: Expr, b: Expr, cols: readonly RelColumn[]): boolean {
  if (a.kind !== "Column" || b.kind !== "Column") return false;
  const i = relColumn(cols, a);
  return i !== undefined && i === relColumn(cols, b);
}

/** The select item's expression named by a position literal or an (explicit) alias, if `e` is one. */
function itemExpr(sel: Select, e: Expr): Expr | undefined {
  if (e.kind === "Literal" && e.type === "int") {
    const c = sel.columns[Number(e.value) - 1];
    return c?.kind === "AliasedExpr" ? c.expr : undefined;
  }
  if (e.kind === "Column" && e.table === undefined) {
    const c = sel.columns.find((c) => c.kind === "AliasedExpr" && !c.implicitAlias && lower(c.as) === lower(e.name));
    return c?.kind === "AliasedExpr" ? c.expr : undefined;
  }
  return undefined;
}

/** HAVING may name select items by alias: replaces those references with the items' expressions. */
function aliasesToItems(sel: Select, e: Expr): Expr {
  return mapExpr(e, (x) => (x.kind === "Column" && x.table === undefined ? itemExpr(sel, x) : undefined));
}

/** Offset of an ORDER BY expression among the select items (position, alias, or same text), if it is one. */
function itemPosition(sel: Select, e: Expr, names: readonly string[]): number | undefined {
  if (e.kind === "Literal" && e.type === "int") return Number(e.value) - 1;
  const t = formatExpr(e);
  let i = sel.columns.findIndex((c) => c.kind === "AliasedExpr" && formatExpr(c.expr) === t);
  if (i >= 0 && !sel.columns.some((c) => c.kind === "Star")) return i;
  if (e.kind === "Column" && e.table === undefined) {
    i = names.findIndex((n) => lower(n) === lower(e.name));
    if (i >= 0) return i;
  }
  return undefined;
}
