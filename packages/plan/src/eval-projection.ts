import type { EvalExpr } from "@vt/evalengine";
import type { PlanNode } from "./plan-node.js";

/**
 * Computes each output column from the input row in vtgate (Vitess's Projection with expressions): `exprs[i]` is
 * evaluated over the input row (Column offsets) and the bind variables; `names[i]` is the output column's name.
 * A plain Column expression keeps the input field's type and flags.
 */
export interface EvalProjection {
  readonly kind: "EvalProjection";
  readonly exprs: readonly EvalExpr[];
  readonly names: readonly string[];
  readonly input: PlanNode;
}
