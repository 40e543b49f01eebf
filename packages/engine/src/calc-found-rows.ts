import type { SQLCalcFoundRows } from "@vt/plan";
import type { Executor } from "./executor.js";

const dec = new TextDecoder();

/** Runs the LIMIT query, then the count query, and records the count as the session's FOUND_ROWS(). */
export const calcFoundRowsExecutor: Executor<SQLCalcFoundRows> = {
  async execute(node, vc, bindVars) {
    const r = await vc.run(node.limit, bindVars);
    const c = await vc.run(node.count, bindVars);
    const cell = c.rows[0]?.[0];
    vc.session.setFoundRows?.(cell ? BigInt(dec.decode(cell)) : 0n);
    return r;
  },
};
