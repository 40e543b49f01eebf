import { windowFuncs } from "./horizon.js";
import { VT } from "@vt/errors";
import type { Join, PlanNode } from "@vt/plan";
import { formatExpr, type Column, type Expr, type Select, type TableExpr } from "@vt/sqlparser";
import type { PlanningContext } from "./planning-context.js";
import { conjuncts } from "./routing.js";
import { mapExpr } from "./rewrite.js";

/** One side of a join: its FROM items (tables, derived tables or joins of them) and the names columns use for it. */
interface Side { readonly from: readonly TableExpr[]; readonly names: ReadonlySet<string> }

/**
 * Plans a join whose sides cannot share a route (different shards or keyspaces) as a nested-loop Join: the left
 * side (a table, derived table, or itself a join of several, planned recursively) returns the selected left columns
 * plus the join columns, and the right side runs once per left row with `:<alias>_<column>` bound. A FROM list
 * `a, b, c` or `a JOIN b JOIN c` is split left-deep (`(a, b) ⋈ c`); RIGHT JOIN is planned as the mirrored LEFT JOIN.
 * ON conditions of a LEFT JOIN on the left table alone are bound into the right side's query. Requires qualified
 * columns; no aggregation/GROUP BY/DISTINCT/HAVING, no select expression over both sides and no WHERE on the right
 * side of a LEFT JOIN (the caller evaluates those in vtgate: see joinNeedsVtgate). ORDER BY becomes a MemorySort
 * and LIMIT a Limit over the join. Throws VT12001 otherwise (USING, NATURAL, '*').
 */
export function planJoin(ctx: PlanningContext, sel: Select, planSide: (ctx: PlanningContext, s: Select) => PlanNode): PlanNode {
  const shape = joinShape(sel.from);
  if (!shape) throw VT.VT12001("cross-shard join with USING or NATURAL");
  if (windowFuncs(sel).length > 0 || sel.rollup) throw VT.VT12001("window functions or WITH ROLLUP over a cross-shard join");
  if (sel.groupBy.length > 0 || sel.having || sel.distinct) throw VT.VT12001("aggregation, DISTINCT or HAVING over a cross-shard join");
  const [left, right] = shape.sides;
  const side = (c: Column): 0 | 1 => {
    if (c.table === undefined) throw VT.VT12001(`unqualified column ${c.name} in a cross-shard join`);
    const t = c.table.toLowerCase();
    if (left.names.has(t)) return 0;
    if (right.names.has(t)) return 1;
    throw VT.VT03019(formatExpr(c));
  };
  const owners = (e: Expr): Set<0 | 1> => {
    const s = new Set<0 | 1>();
    mapExpr(e, (x) => {
      if (x.kind === "Column") s.add(side(x));
      if (x.kind === "Subquery" || x.kind === "Exists" || x.kind === "Star") throw VT.VT12001("subquery or '*' in a cross-shard join");
      if (x.kind === "FuncCall" && ["count", "sum", "min", "max", "avg"].includes(x.name)) throw VT.VT12001("aggregation over a cross-shard join");
      return undefined;
    });
    return s;
  };
  const leftWhere: Expr[] = [];
  const rightWhere: Expr[] = [];
  const joinPreds: Expr[] = [];
  const classify = (e: Expr, fromWhere: boolean): void => {
    const o = owners(e);
    if (fromWhere && shape.join === "left join" && o.has(1)) throw VT.VT12001("WHERE on the right table of a cross-shard LEFT JOIN");
    if (o.size === 2) joinPreds.push(e);
    else if (o.has(1) || (!fromWhere && o.size === 0)) rightWhere.push(e);
    else if (!fromWhere && shape.join === "left join") joinPreds.push(e); // decides matches, keeps every left row
    else leftWhere.push(e);
  };
  conjuncts(sel.where).forEach((e) => classify(e, true));
  shape.on.flatMap((e) => conjuncts(e)).forEach((e) => classify(e, false));

  const leftCols: Expr[] = [];
  const rightCols: Expr[] = [];
  const cols: number[] = [];
  for (const c of sel.columns) {
    if (c.kind === "Star") throw VT.VT12001("'*' in a cross-shard join");
    const o = owners(c.expr);
    if (o.size === 2) throw VT.VT12001(`select expression over both sides of a cross-shard join: ${formatExpr(c.expr)}`);
    const onLeft = !o.has(1);
    const target = onLeft ? leftCols : rightCols;
    target.push(c.expr);
    cols.push(onLeft ? -target.length : target.length);
  }
  // ORDER BY expressions that are not select items are fetched as hidden columns after the selected ones.
  const hidden: Expr[] = [];
  for (const o of sel.orderBy) {
    if (selectIndex(sel, o.expr) >= 0 || hidden.some((h) => formatExpr(h) === formatExpr(o.expr))) continue;
    const own = owners(o.expr);
    if (own.size !== 1) continue; // over both sides or constant: orderAndLimit reports it
    const target = own.has(0) ? leftCols : rightCols;
    target.push(o.expr);
    cols.push(own.has(0) ? -target.length : target.length);
    hidden.push(o.expr);
  }
  const aliased = (exprs: Expr[]) => exprs.map((expr) => {
    const sc = sel.columns.find((c) => c.kind === "AliasedExpr" && c.expr === expr);
    return { kind: "AliasedExpr" as const, expr, ...(sc && sc.kind === "AliasedExpr" && sc.as ? { as: sc.as } : {}) };
  });
  const vars: Record<string, number> = {};
  const bound = joinPreds.map((p) => mapExpr(p, (x) => {
    if (x.kind !== "Column" || side(x) !== 0) return undefined;
    const name = `${x.table}_${x.name}`;
    if (vars[name] === undefined) {
      const existing = leftCols.findIndex((e) => formatExpr(e) === formatExpr(x));
      vars[name] = existing >= 0 ? existing : leftCols.push(x) - 1;
    }
    return { kind: "Arg", name };
  }));
  const and = (es: Expr[]): Expr | undefined => es.reduce<Expr | undefined>((a, b) => (a ? { kind: "Binary", op: "and", left: a, right: b } : b), undefined);
  const part = (from: readonly TableExpr[], columns: Expr[], where: Expr[]): Select => {
    const w = and(where);
    return { kind: "Select", distinct: false, columns: aliased(columns.length > 0 ? columns : [{ kind: "Literal", type: "int", value: "1" }]), from, ...(w ? { where: w } : {}), groupBy: [], orderBy: [] };
  };
  const join: Join = {
    kind: "Join", opcode: shape.join === "left join" ? "LeftJoin" : "Join", cols, vars,
    left: planSide(ctx, part(left.from, leftCols, leftWhere)),
    right: planSide(ctx, part(right.from, rightCols, [...rightWhere, ...bound])),
  };
  return orderAndLimit(sel, join, hidden);
}

/** Index of an ORDER BY expression in the select list (position number, same text, or alias); -1 if absent. */
function selectIndex(sel: Select, e: Expr): number {
  if (e.kind === "Literal" && e.type === "int") return Number(e.value) - 1;
  const text = formatExpr(e);
  return sel.columns.findIndex((c) => c.kind === "AliasedExpr" && (formatExpr(c.expr) === text || (e.kind === "Column" && !e.table && c.as === e.name)));
}

/** MemorySort and Limit over the join; `hidden` ORDER BY columns follow the select list and are dropped at the end. */
function orderAndLimit(sel: Select, node: PlanNode, hidden: readonly Expr[]): PlanNode {
  let out = node;
  const visible = sel.columns.length;
  if (sel.orderBy.length > 0) {
    const orderBy = sel.orderBy.map((o) => {
      const text = formatExpr(o.expr);
      let i = selectIndex(sel, o.expr);
      const h = i < 0 ? hidden.findIndex((x) => formatExpr(x) === text) : -1;
      if (h >= 0) i = visible + h;
      if (i < 0) throw VT.VT12001(`ORDER BY ${text} not in the select list of a cross-shard join`);
      return { col: i, desc: o.desc };
    });
    out = { kind: "MemorySort", orderBy, input: out };
  }
  if (sel.limit) {
    const tr = (e: Expr) => (e.kind === "Arg" ? { kind: "BindVar" as const, name: e.name } : e.kind === "Literal" ? { kind: "Literal" as const, type: 265, value: e.value } : undefined);
    const count = tr(sel.limit.count);
    const offset = sel.limit.offset ? tr(sel.limit.offset) : undefined;
    if (!count) throw VT.VT12001("LIMIT expression over a cross-shard join");
    out = { kind: "Limit", count, ...(offset ? { offset } : {}), input: out };
  }
  if (hidden.length > 0) out = { kind: "Projection", cols: Array.from({ length: visible }, (_, i) => i), input: out };
  return out;
}

/** Names (aliases, lower-case) the FROM items define, through joins. */
function fromNames(from: readonly TableExpr[]): Set<string> {
  const out = new Set<string>();
  const walk = (t: TableExpr): void => {
    if (t.kind === "AliasedTable") out.add((t.as ?? t.table.name).toLowerCase());
    else if (t.kind === "DerivedTable") out.add(t.as.toLowerCase());
    else { walk(t.left); walk(t.right); }
  };
  from.forEach(walk);
  return out;
}

function joinShape(from: readonly TableExpr[]): { sides: [Side, Side]; join: string; on: Expr[] } | undefined {
  const side = (f: readonly TableExpr[]): Side => ({ from: f, names: fromNames(f) });
  if (from.length >= 2) return { sides: [side(from.slice(0, -1)), side(from.slice(-1))], join: "join", on: [] };
  const j = from[0];
  if (from.length !== 1 || !j || j.kind !== "JoinTable" || j.using) return undefined;
  const on = j.on ? [j.on] : [];
  if (j.join === "right join") return { sides: [side([j.right]), side([j.left])], join: "left join", on };
  if (j.join !== "join" && j.join !== "left join" && j.join !== "cross join" && j.join !== "straight_join") return undefined;
  return { sides: [side([j.left]), side([j.right])], join: j.join === "left join" ? "left join" : "join", on };
}

/**
 * What of a cross-shard join vtgate must evaluate over the joined rows: WHERE conjuncts on the right side of a
 * top-level LEFT JOIN (`postFilters`, they also drop NULL-extended rows) and whether a select item or ORDER BY
 * expression uses columns of both sides (`crossSide`).
 */
export function joinNeedsVtgate(sel: Select): { postFilters: Expr[]; crossSide: boolean } {
  const shape = joinShape(sel.from);
  if (!shape) return { postFilters: [], crossSide: false };
  const [left, right] = shape.sides;
  const sides = (e: Expr): Set<0 | 1> => {
    const s = new Set<0 | 1>();
    mapExpr(e, (x) => {
      if (x.kind === "Subquery" || x.kind === "Exists") return x;
      if (x.kind === "Column" && x.table !== undefined) {
        const t = x.table.toLowerCase();
        if (left.names.has(t)) s.add(0);
        else if (right.names.has(t)) s.add(1);
      }
      return undefined;
    });
    return s;
  };
  const postFilters = shape.join === "left join" ? conjuncts(sel.where).filter((c) => sides(c).has(1)) : [];
  const exprs = [...sel.columns.flatMap((c) => (c.kind === "AliasedExpr" ? [c.expr] : [])), ...sel.orderBy.map((o) => o.expr)];
  return { postFilters, crossSide: exprs.some((e) => sides(e).size === 2) };
}
