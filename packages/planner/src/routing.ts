import { translateExpr, type EvalExpr } from "@vt/evalengine";
import type { RouteOpcode } from "@vt/plan";
import type { Expr } from "@vt/sqlparser";
import type { VSchemaTable } from "@vt/vindexes";

/** The routing chosen for one table from the WHERE clause. */
export interface RouteChoice {
  readonly opcode: RouteOpcode;
  readonly vindex?: string;
  readonly values?: readonly EvalExpr[];
  /** For IN: the predicate whose right side becomes `::__vals` in the shard query. */
  readonly inPredicate?: Expr;
  readonly cost: number;
}

const RANK: Partial<Record<RouteOpcode, number>> = { None: -1, EqualUnique: 0, Equal: 1, IN: 2, MultiEqual: 3, SubShard: 4, Scatter: 9 };

/** How good a routing is (lower is better): None < EqualUnique < Equal < IN < MultiEqual < SubShard < Scatter. */
export const routeRank = (c: { readonly opcode: RouteOpcode }): number => RANK[c.opcode] ?? 9;

/** True when `a` is a better routing than `b`: a lower rank, or the same rank through a cheaper vindex. */
export const betterRoute = (a: RouteChoice, b: RouteChoice): boolean =>
  routeRank(a) < routeRank(b) || (routeRank(a) === routeRank(b) && a.cost < b.cost);

/** Splits an expression into its top-level AND terms. */
export function conjuncts(e: Expr | undefined): Expr[] {
  if (!e) return [];
  if (e.kind === "Binary" && e.op === "and") return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

/** True when `c` is a column of the table known by any of `names` (unqualified columns match too). */
function columnOf(e: Expr, names: ReadonlySet<string>): string | undefined {
  if (e.kind !== "Column") return undefined;
  if (e.table !== undefined && !names.has(e.table.toLowerCase())) return undefined;
  return e.name.toLowerCase();
}

/**
 * Picks the cheapest routing for `table` from its WHERE terms: equality / IN on single-column vindexes, tuple IN
 * (`(a, b) IN ((1, 'x'), ...)`: MultiEqual on a vindex column of the tuple), and equality on every column of a
 * multi-column vindex (EqualUnique/Equal) or on its leading columns (SubShard, a key range). Ordered by
 * {@link routeRank}, then by vindex cost. Scatter when nothing applies. `names` are the table's name and alias
 * (lower-case).
 */
export function chooseRouting(table: VSchemaTable, names: ReadonlySet<string>, where: Expr | undefined): RouteChoice {
  let best: RouteChoice = { opcode: "Scatter", cost: Infinity };
  const terms = conjuncts(where);
  for (const c of [...multiColumnChoices(table, names, terms), ...tupleInChoices(table, names, terms)]) {
    if (betterRoute(c, best)) best = c;
  }
  for (const term of terms) {
    if (term.kind !== "Binary") continue;
    for (const [colSide, valSide] of [[term.left, term.right], [term.right, term.left]] as const) {
      const col = columnOf(colSide, names);
      if (col === undefined) continue;
      const cv = table.columnVindexes.find((v) => v.columns.length === 1 && v.columns[0]!.toLowerCase() === col);
      if (!cv) continue;
      const choice = choiceFor(term.op, cv, valSide, term);
      if (choice && betterRoute(choice, best)) best = choice;
      if (term.op === "in" || term.op === "not in") break;
    }
  }
  return best;
}

function choiceFor(op: string, cv: VSchemaTable["columnVindexes"][number], value: Expr, term: Expr): RouteChoice | undefined {
  if (op === "=") {
    if (value.kind === "Literal" && value.type === "null") return { opcode: "None", cost: 0 };
    const v = translateExpr(value);
    if (!v) return undefined;
    return { opcode: cv.isUnique ? "EqualUnique" : "Equal", vindex: cv.name, values: [v], cost: cv.cost };
  }
  if (op === "in") {
    const v = translateExpr(value);
    if (!v || (v.kind !== "Tuple" && !(v.kind === "BindVar" && v.list))) return undefined;
    return { opcode: "IN", vindex: cv.name, values: [v], inPredicate: term, cost: cv.cost };
  }
  return undefined;
}

/** MultiEqual choices from `(c1, c2, ...) IN ((v1, v2, ...), ...)` where some ci has a single-column vindex. */
function tupleInChoices(table: VSchemaTable, names: ReadonlySet<string>, terms: readonly Expr[]): RouteChoice[] {
  const out: RouteChoice[] = [];
  for (const term of terms) {
    if (term.kind !== "Binary" || term.op !== "in" || term.left.kind !== "Tuple" || term.right.kind !== "Tuple") continue;
    const width = term.left.exprs.length;
    const rows = term.right.exprs;
    if (rows.length === 0 || !rows.every((r) => r.kind === "Tuple" && r.exprs.length === width)) continue;
    term.left.exprs.forEach((colExpr, k) => {
      const col = columnOf(colExpr, names);
      const cv = col === undefined ? undefined
        : table.columnVindexes.find((v) => v.columns.length === 1 && v.columns[0]!.toLowerCase() === col);
      if (!cv) return;
      const list = translateExpr({ kind: "Tuple", exprs: rows.map((r) => (r as { exprs: readonly Expr[] }).exprs[k]!) });
      if (list) out.push({ opcode: "MultiEqual", vindex: cv.name, values: [list], cost: cv.cost });
    });
  }
  return out;
}

/** Choices for multi-column vindexes from `col = value` terms on all their columns, or on a leading prefix. */
function multiColumnChoices(table: VSchemaTable, names: ReadonlySet<string>, terms: readonly Expr[]): RouteChoice[] {
  const equal = new Map<string, EvalExpr>();
  for (const term of terms) {
    if (term.kind !== "Binary" || term.op !== "=") continue;
    for (const [colSide, valSide] of [[term.left, term.right], [term.right, term.left]] as const) {
      const col = columnOf(colSide, names);
      const v = col === undefined ? undefined : translateExpr(valSide);
      if (col !== undefined && v && !equal.has(col)) equal.set(col, v);
    }
  }
  const out: RouteChoice[] = [];
  for (const cv of table.columnVindexes) {
    if (cv.columns.length < 2) continue;
    const values: EvalExpr[] = [];
    for (const c of cv.columns) {
      const v = equal.get(c.toLowerCase());
      if (!v) break;
      values.push(v);
    }
    if (values.length === cv.columns.length) {
      out.push({ opcode: cv.isUnique ? "EqualUnique" : "Equal", vindex: cv.name, values, cost: cv.cost });
    } else if (values.length > 0 && (cv.vindex as { partialOk?: boolean }).partialOk === true) {
      out.push({ opcode: "SubShard", vindex: cv.name, values, cost: cv.cost });
    }
  }
  return out;
}
