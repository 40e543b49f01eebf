import type { CompareOp, EvalExpr } from "@vt/evalengine";
import type { PlanNode } from "./plan-node.js";

/**
 * A subquery evaluated once per row of `outer` (a correlated subquery nested in an expression that no route can
 * answer whole): for each outer row the `vars` (bind variable name → outer column offset) are bound, `subquery`
 * runs, and one column named `name` is appended to the row:
 * - `Value`: the subquery's single value (NULL for no row; several rows → 1242; several columns → 1241);
 * - `Exists`: 1 when the subquery returns a row, else 0;
 * - `Any` (`x op ANY (...)`, `x IN (...)` is `= ANY`): 1 when `operand op v` holds for some value v, else NULL when
 *   some comparison is NULL, else 0 (0 for no row);
 * - `All` (`x op ALL (...)`, `x NOT IN (...)` is `!= ALL`): 0 when `operand op v` fails for some v, else NULL when
 *   some comparison is NULL, else 1 (1 for no row).
 * A subquery without vars runs once. The rows are held in memory (bounded by --max_memory_rows).
 */
export interface SubqueryApply {
  readonly kind: "SubqueryApply";
  readonly opcode: "Value" | "Exists" | "Any" | "All";
  /** The comparison of Any/All. */
  readonly op?: CompareOp;
  /** The left operand of Any/All, over the outer row. */
  readonly operand?: EvalExpr;
  readonly vars: Readonly<Record<string, number>>;
  readonly name: string;
  readonly outer: PlanNode;
  readonly subquery: PlanNode;
}
