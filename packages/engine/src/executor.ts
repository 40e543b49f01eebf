import type { PlanKind, PlanNode, PlanOf } from "@vt/plan";
import type { Result } from "@vt/sqltypes";
import type { BindVars, VCursor } from "./vcursor.js";

/** The VCursor as executors see it: plus running child nodes through the executor table. */
export interface ExecCursor extends VCursor {
  run(node: PlanNode, bindVars: BindVars): Promise<Result>;
  runStream(node: PlanNode, bindVars: BindVars): AsyncIterable<Result>;
}

/** Behaviour of one plan kind. `stream` defaults to one `execute` result. */
export interface Executor<T extends PlanNode> {
  execute(node: T, vc: ExecCursor, bindVars: BindVars): Promise<Result>;
  stream?(node: T, vc: ExecCursor, bindVars: BindVars): AsyncIterable<Result>;
}

/** The executor table type: one executor per plan kind, checked for exhaustiveness. */
export type ExecutorTable = { readonly [K in PlanKind]: Executor<PlanOf<K>> };
