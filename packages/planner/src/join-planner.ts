import { windowFuncs } from "./horizon.js";
import { VT } from "@vt/errors";
import type { Join, PlanNode } from "@vt/plan";
import { formatExpr, type AliasedTable, type DerivedTable, type Column, type Expr, type Select, type TableExpr } from "@vt/sqlparser";
import type { PlanningContext } from "./planning-context.js";
import { conjuncts } from "./routing.js";
import { mapExpr } from "./rewrite.js";

/** One side of a two-table join: its FROM item and the names columns use for it. */
interface Side { readonly table: AliasedTable | DerivedTable; readonly names: ReadonlySet<string> }

/**
 * Plans a join of two tables that cannot share a route (different shards or keyspaces) as a nested-loop Join:
 * the left route returns the selected left columns plus the join columns, and the right route runs once per left
 * row with `:<alias>_<column>` bound. Requires qualified columns; no aggregation/GROUP BY/DISTINCT/HAVING.
 * ORDER BY becomes a MemorySort and LIMIT a Limit over the join. Throws VT12001 otherwise.
 */
export function planJoin(ctx: PlanningContext, sel: Select, planSide: (ctx: PlanningContext, s: Select) => PlanNode): PlanNode {
  const shape = joinShape(sel.from);
  if (!shape) throw VT.VT12001("cross-shard join of more than two tables or with derived tables");
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
    if (o.size === 2) joinPreds.push(e);
    else if (o.has(1)) {
      if (fromWhere && shape.join === "left join") throw VT.VT12001("WHERE on the right table of a cross-shard LEFT JOIN");
      rightWhere.push(e);
    } else {
      if (!fromWhere && shape.join === "left join") throw VT.VT12001("ON condition on the left table of a cross-shard LEFT JOIN");
      leftWhere.push(e);
    }
  };
  conjuncts(sel.where).forEach((e) => classify(e, true));
  shape.on.flatMap((e) => conjuncts(e)).forEach((e) => classify(e, false));

  const leftCols: Expr[] = [];
  const rightCols: Expr[] = [];
  const cols: number[] = [];
  for (const c of sel.columns) {
    if (c.kind === "Star") throw VT.VT12001("'*' in a cross-shard join");
    const o = owners(c.expr);
    if (o.size !== 1) throw VT.VT12001(`select expression over both sides of a cross-shard join: ${formatExpr(c.expr)}`);
    const target = o.has(0) ? leftCols : rightCols;
    target.push(c.expr);
    cols.push(o.has(0) ? -target.length : target.length);
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
  const part = (t: AliasedTable | DerivedTable, columns: Expr[], where: Expr[]): Select => {
    const w = and(where);
    return { kind: "Select", distinct: false, columns: aliased(columns.length > 0 ? columns : [{ kind: "Literal", type: "int", value: "1" }]), from: [t], ...(w ? { where: w } : {}), groupBy: [], orderBy: [] };
  };
  const join: Join = {
    kind: "Join", opcode: shape.join === "left join" ? "LeftJoin" : "Join", cols, vars,
    left: planSide(ctx, part(left.table, leftCols, leftWhere)),
    right: planSide(ctx, part(right.table, rightCols, [...rightWhere, ...bound])),
  };
  return orderAndLimit(sel, join);
}

function orderAndLimit(sel: Select, node: PlanNode): PlanNode {
  let out = node;
  if (sel.orderBy.length > 0) {
    const orderBy = sel.orderBy.map((o) => {
      const text = formatExpr(o.expr);
      const i = o.expr.kind === "Literal" && o.expr.type === "int" ? Number(o.expr.value) - 1
        : sel.columns.findIndex((c) => c.kind === "AliasedExpr" && (formatExpr(c.expr) === text || (o.expr.kind === "Column" && !o.expr.table && c.as === o.expr.name)));
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
  return out;
}

function joinShape(from: readonly TableExpr[]): { sides: [Side, Side]; join: string; on: Expr[] } | undefined {
  const side = (t: TableExpr): Side | undefined =>
    t.kind === "AliasedTable" ? { table: t, names: new Set([(t.as ?? t.table.name).toLowerCase()]) }
      : t.kind === "DerivedTable" ? { table: t, names: new Set([t.as.toLowerCase()]) } : undefined;
  if (from.length === 2) {
    const a = side(from[0]!);
    const b = side(from[1]!);
    return a && b ? { sides: [a, b], join: "join", on: [] } : undefined;
  }
  const j = from[0];
  if (from.length !== 1 || !j || j.kind !== "JoinTable" || j.using) return undefined;
  if (j.join !== "join" && j.join !== "left join" && j.join !== "cross join" && j.join !== "straight_join") return undefined;
  const a = side(j.left);
  const b = side(j.right);
  return a && b ? { sides: [a, b], join: j.join === "left join" ? "left join" : "join", on: j.on ? [j.on] : [] } : undefined;
}
