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

const RANK: Partial<Record<RouteOpcode, number>> = { None: -1, EqualUnique: 0, Equal: 1, IN: 2, Scatter: 9 };

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
 * Picks the cheapest routing for `table` from equality / IN predicates on its single-column vindexes:
 * EqualUnique (unique vindex) < Equal < IN, then by vindex cost. Scatter when nothing applies.
 * `names` are the table's name and alias (lower-case).
 */
export function chooseRouting(table: VSchemaTable, names: ReadonlySet<string>, where: Expr | undefined): RouteChoice {
  let best: RouteChoice = { opcode: "Scatter", cost: Infinity };
  const better = (c: RouteChoice): boolean =>
    (RANK[c.opcode] ?? 9) < (RANK[best.opcode] ?? 9) || ((RANK[c.opcode] ?? 9) === (RANK[best.opcode] ?? 9) && c.cost < best.cost);
  for (const term of conjuncts(where)) {
    if (term.kind !== "Binary") continue;
    for (const [colSide, valSide] of [[term.left, term.right], [term.right, term.left]] as const) {
      const col = columnOf(colSide, names);
      if (col === undefined) continue;
      const cv = table.columnVindexes.find((v) => v.columns.length === 1 && v.columns[0]!.toLowerCase() === col);
      if (!cv) continue;
      const choice = choiceFor(term.op, cv, valSide, term);
      if (choice && better(choice)) best = choice;
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
