import { SqlError } from "@vt/errors";
import type { Plan, PlanNode } from "@vt/plan";
import type { Result } from "@vt/sqltypes";
import type { ExecCursor, Executor } from "./executor.js";
import { executors } from "./executors.js";
import type { BindVars, VCursor } from "./vcursor.js";

/** The VCursor as executors see it. A vcursor reused across statements can be wrapped once (vtgate's hot path). */
export function execCursor(vc: VCursor): ExecCursor {
  return isExecCursor(vc) ? vc : cursor(vc);
}

const isExecCursor = (vc: VCursor): vc is ExecCursor => typeof (vc as Partial<ExecCursor>).run === "function";

function cursor(vc: VCursor): ExecCursor {
  const ec: ExecCursor = {
    ...vc,
    run: (node, bv) => executorFor(node).execute(node, ec, bv),
    runStream: (node, bv) => streamNode(node, ec, bv),
  };
  return ec;
}

const executorFor = (node: PlanNode): Executor<PlanNode> => executors[node.kind] as Executor<PlanNode>;

async function* streamNode(node: PlanNode, ec: ExecCursor, bv: BindVars): AsyncIterable<Result> {
  const ex = executorFor(node);
  if (ex.stream) yield* ex.stream(node, ec, bv);
  else yield await ex.execute(node, ec, bv);
}

/**
 * Executes a plan (or a bare plan node) and returns the whole result. Errors are SqlErrors (shard errors keep their
 * errno/SQLSTATE).
 */
export async function execute(plan: Plan | PlanNode, vc: VCursor, bindVars: BindVars = {}): Promise<Result> {
  const node = "instructions" in plan ? plan.instructions : plan;
  try {
    return await execCursor(vc).run(node, bindVars);
  } catch (e) {
    throw SqlError.from(e);
  }
}

/** Executes a plan as a stream of results; the first carries the fields. Break early to stop. */
export async function* stream(plan: Plan | PlanNode, vc: VCursor, bindVars: BindVars = {}): AsyncIterable<Result> {
  const node = "instructions" in plan ? plan.instructions : plan;
  try {
    yield* streamNode(node, execCursor(vc), bindVars);
  } catch (e) {
    throw SqlError.from(e);
  }
}
