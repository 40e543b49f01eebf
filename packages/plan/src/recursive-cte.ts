import type { PlanNode } from "./plan-node.js";

/**
 * `WITH RECURSIVE name AS (anchor UNION [ALL] recursive)` evaluated in vtgate: `anchor` runs once; then, iteration
 * after iteration, `recursive` runs once per row produced by the previous iteration with `vars` (bind variable name
 * → column offset of that row) bound, until an iteration produces no new row or `max_recursive_iterations`
 * (MariaDB's default 1000) iterations ran — MariaDB then stops without an error. `distinct` (UNION): rows already
 * produced are dropped. Columns take the anchor's names and types: integer columns round other numbers, and text
 * longer than the anchor column fails with 1406 (as MariaDB's temporary table does in strict mode).
 */
export interface RecursiveCte {
  readonly kind: "RecursiveCte";
  readonly name: string;
  readonly distinct: boolean;
  readonly vars: Readonly<Record<string, number>>;
  readonly maxIterations?: number;
  readonly anchor: PlanNode;
  readonly recursive: PlanNode;
}
