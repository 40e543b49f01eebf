import { VT } from "@vt/errors";
import { translateExpr, type EvalExpr } from "@vt/evalengine";
import type { OrderByParam, PlanNode, WindowFrameParam, WindowFuncName, WindowFuncParam } from "@vt/plan";
import { formatExpr, isAggregate, syntaxError, type AliasedExpr, type Expr, type FrameBound, type Select, type WindowFunc } from "@vt/sqlparser";
import { finishRoute, planHorizon, windowFuncs, type RouteBase } from "./horizon.js";
import { mapExpr } from "./rewrite.js";
import { vtgateHorizonTail } from "./vtgate-horizon.js";

const WINDOW_NAMES = new Set<string>([
  "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value",
  "nth_value", "count", "sum", "avg", "min", "max",
]);

/** Shard-side select items being collected (deduplicated by text), with their offsets. */
class Pushed {
  readonly items: AliasedExpr[] = [];
  private readonly texts: string[] = [];
  offset(e: Expr): number {
    const t = formatExpr(e);
    const i = this.texts.indexOf(t);
    if (i >= 0) return i;
    this.texts.push(t);
    this.items.push({ kind: "AliasedExpr", expr: e });
    return this.items.length - 1;
  }
}

const containsWindow = (e: Expr): boolean => {
  let found = false;
  mapExpr(e, (x) => (x.kind === "WindowFunc" ? ((found = true), x) : x.kind === "Subquery" || x.kind === "Exists" ? x : undefined));
  return found;
};

/**
 * Window functions over rows of several shards (a partition may span shards): the shards return, for the rows
 * passing WHERE, every expression the select list, the windows' arguments, PARTITION BY and ORDER BY need; a Window
 * node computes the functions in vtgate; an EvalProjection builds the select list; ORDER BY, DISTINCT and LIMIT
 * follow in vtgate. ENUM/SET keys are compared by their index (`col + 0` pushed to the shards).
 * Throws VT12001 for GROUP BY, aggregates outside windows, HAVING, '*', and window functions vtgate does not compute.
 */
export function planWindowGather(sel: Select, base: RouteBase, enums: ReadonlySet<string>, shardKeys: ReadonlySet<string>): PlanNode {
  if (sel.rollup) throw VT.VT12001("window functions together with WITH ROLLUP across shards");
  // With GROUP BY or aggregates the windows run over the aggregated rows: the shard query becomes an aggregation
  // (merged across shards as usual) of every group key and aggregate the select list and the windows need.
  const aggregated = sel.groupBy.length > 0 || sel.having !== undefined || sel.columns.some((c) => c.kind === "AliasedExpr" && containsAggregate(c.expr));
  if (sel.columns.some((c) => c.kind === "Star")) throw VT.VT12001("'*' together with window functions across shards");
  const pushed = new Pushed();
  const sortKey = (e: Expr): Expr => {
    const k = e.kind === "Column" ? (e.table ? `${e.table}.${e.name}` : e.name).toLowerCase() : undefined;
    return k !== undefined && enums.has(k) ? { kind: "Binary", op: "+", left: e, right: { kind: "Literal", type: "int", value: "0" } } : e;
  };
  const windows: WindowFuncParam[] = [];
  const windowTexts: string[] = [];
  const funcs = windowFuncs(sel);
  for (const wf of funcs) {
    const t = formatExpr(wf);
    if (windowTexts.includes(t)) continue;
    windowTexts.push(t);
    windows.push(windowParam(wf, pushed, sortKey));
  }
  // Select items: window-free parts are computed by the shards; the rest in vtgate over the Window node's output.
  const width = () => pushed.items.length;
  const windowCol = (e: Expr): number | undefined => {
    const i = windowTexts.indexOf(formatExpr(e));
    return i >= 0 ? -(i + 1) : undefined;
  };
  const vtgateExpr = (e: Expr, what: string): EvalExpr => {
    const mapper = (x: Expr): number | undefined => {
      const w = windowCol(x);
      if (w !== undefined) return w;
      if (containsWindow(x) || x.kind === "Literal" || x.kind === "Arg") return undefined;
      return pushed.offset(x);
    };
    const r = translateExpr(e, mapper);
    if (!r) throw VT.VT12001(`${what} evaluated in vtgate: ${formatExpr(e)}`);
    return r;
  };
  const exprs: EvalExpr[] = [];
  const names: string[] = [];
  for (const c of sel.columns) {
    if (c.kind !== "AliasedExpr") continue;
    exprs.push(vtgateExpr(c.expr, "select expression"));
    names.push(c.as ?? (c.expr.kind === "Column" ? c.expr.name : formatExpr(c.expr)));
  }
  const visible = exprs.length;
  const orderBy: OrderByParam[] = sel.orderBy.map((o) => {
    const pos = itemIndex(sel, o.expr);
    const item = pos === undefined ? undefined : sel.columns[pos];
    const named = item?.kind === "AliasedExpr" ? item.expr : o.expr;
    const key = sortKey(named);
    if (pos !== undefined && key === named) return { col: pos, desc: o.desc };
    exprs.push(vtgateExpr(key, "ORDER BY expression"));
    names.push(formatExpr(o.expr));
    return { col: exprs.length - 1, desc: o.desc };
  });
  // Window outputs follow the pushed columns: resolve the negative placeholders now that the width is known.
  const w0 = width();
  const fix = (e: EvalExpr): EvalExpr => fixWindowCols(e, w0);
  // HAVING may name select items by alias; the shard aggregation has no aliases.
  const having = sel.having && mapExpr(sel.having, (x) => {
    if (x.kind !== "Column" || x.table !== undefined) return undefined;
    const c = sel.columns.find((c) => c.kind === "AliasedExpr" && !c.implicitAlias && c.as?.toLowerCase() === x.name.toLowerCase() && !containsWindow(c.expr));
    return c?.kind === "AliasedExpr" ? c.expr : undefined;
  });
  const inner: Select = { ...sel, ...(having ? { having } : {}), distinct: false, columns: pushed.items.length > 0 ? pushed.items : [{ kind: "AliasedExpr", expr: { kind: "Literal", type: "int", value: "1" } }], orderBy: [] };
  delete (inner as { limit?: unknown }).limit;
  if (!aggregated) {
    delete (inner as { having?: unknown }).having;
    (inner as { groupBy: readonly Expr[] }).groupBy = [];
  }
  let node: PlanNode = { kind: "Window", windows, input: aggregated ? planHorizon(inner, base, shardKeys, enums) : finishRoute(base, inner) };
  return vtgateHorizonTail({ kind: "EvalProjection", exprs: exprs.map(fix), names, input: node }, sel, orderBy, exprs.length, visible);
}

/** Window output placeholders (-1, -2, ...) become offsets after the `width` pushed columns. */
function fixWindowCols(e: EvalExpr, width: number): EvalExpr {
  switch (e.kind) {
    case "Column": return e.offset < 0 ? { kind: "Column", offset: width - e.offset - 1 } : e;
    case "Tuple": return { ...e, exprs: e.exprs.map((x) => fixWindowCols(x, width)) };
    case "Compare": case "Arithmetic": return { ...e, left: fixWindowCols(e.left, width), right: fixWindowCols(e.right, width) };
    case "Logic": return { ...e, args: e.args.map((x) => fixWindowCols(x, width)) };
    case "IsNull": return { ...e, expr: fixWindowCols(e.expr, width) };
    default: return e;
  }
}

function containsAggregate(e: Expr): boolean {
  let found = false;
  mapExpr(e, (x) => (isAggregate(x) ? ((found = true), x) : x.kind === "Subquery" || x.kind === "Exists" || x.kind === "WindowFunc" ? x : undefined));
  return found;
}

/** One window function as plan data; its row inputs become shard select items. */
function windowParam(wf: WindowFunc, pushed: Pushed, sortKey: (e: Expr) => Expr): WindowFuncParam {
  const f = wf.func;
  if (!WINDOW_NAMES.has(f.name) || f.distinct || f.orderBy) throw VT.VT12001(`window function ${formatExpr(f)} across shards`);
  // MariaDB's LAG/LEAD take no default value argument.
  if ((f.name === "lag" || f.name === "lead") && f.args.length > 2) throw syntaxError(formatExpr(wf), 0);
  const star = f.name === "count" && (f.args.length === 0 || f.args[0]!.kind === "Star");
  const func = (star ? "count_star" : f.name) as WindowFuncName;
  const args = star ? [] : f.args.map((a): EvalExpr => translateExpr(a) ?? { kind: "Column", offset: pushed.offset(a) });
  const frame = wf.over.frame;
  return {
    func, args,
    partitionBy: wf.over.partitionBy.map((p) => pushed.offset(sortKey(p))),
    orderBy: wf.over.orderBy.map((o) => ({ col: pushed.offset(sortKey(o.expr)), desc: o.desc })),
    ...(frame ? { frame: { unit: frame.unit, start: boundParam(frame.start), end: boundParam(frame.end) } satisfies WindowFrameParam } : {}),
    alias: formatExpr(wf),
  };
}

function boundParam(b: FrameBound): WindowFrameParam["start"] {
  if (!b.expr) return { type: b.type };
  const offset = translateExpr(b.expr);
  if (!offset) throw VT.VT12001(`window frame bound ${formatExpr(b.expr)} across shards`);
  return { type: b.type, offset };
}

/** The select item an ORDER BY expression names: a position, an explicit alias, or the same expression text. */
function itemIndex(sel: Select, e: Expr): number | undefined {
  if (e.kind === "Literal" && e.type === "int") return Number(e.value) - 1;
  const t = formatExpr(e);
  const i = sel.columns.findIndex((c) => c.kind === "AliasedExpr" && (
    formatExpr(c.expr) === t || (e.kind === "Column" && e.table === undefined && !c.implicitAlias && c.as?.toLowerCase() === e.name.toLowerCase())));
  return i >= 0 ? i : undefined;
}
