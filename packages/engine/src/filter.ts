import { evaluate, truth } from "@vt/evalengine";
import type { Filter } from "@vt/plan";
import type { Executor } from "./executor.js";

/** Filter: evaluates the predicate on each input row in vtgate and keeps the rows where it is true. */
export const filterExecutor: Executor<Filter> = {
  async execute(node, vc, bindVars) {
    const r = await vc.run(node.input, bindVars);
    const rows = r.rows.filter((row) => truth(evaluate(node.predicate, { bindVars, row, fields: r.fields })) === true);
    return { ...r, rows };
  },
};
