import type { Join } from "@vt/plan";
import { bindVar, type Row } from "@vt/sqltypes";
import type { Executor } from "./executor.js";
import { cell, checkMemoryRows } from "./result-utils.js";

/** Nested-loop join: runs the right side once per left row with the join variables bound. */
export const joinExecutor: Executor<Join> = {
  async execute(node, vc, bindVars) {
    const left = await vc.run(node.left, bindVars);
    const rows: Row[] = [];
    let rightFields = undefined as Awaited<ReturnType<typeof vc.run>>["fields"] | undefined;
    for (const lrow of left.rows) {
      const bv = { ...bindVars };
      for (const [name, col] of Object.entries(node.vars)) bv[name] = bindVar(cell(lrow, left.fields, col));
      const right = await vc.run(node.right, bv);
      rightFields ??= right.fields;
      if (right.rows.length === 0 && node.opcode === "LeftJoin") rows.push(combine(node.cols, lrow, undefined));
      for (const rrow of right.rows) rows.push(combine(node.cols, lrow, rrow));
      checkMemoryRows(rows.length, vc.maxMemoryRows);
    }
    if (rightFields === undefined && left.rows.length === 0 && node.cols.some((c) => c > 0)) {
      // No left row: the right side still reports its fields (join variables bound to NULL).
      const bv = { ...bindVars };
      for (const name of Object.keys(node.vars)) bv[name] = bindVar({ type: 0, raw: null });
      rightFields = (await vc.run(node.right, bv)).fields;
    }
    const fields = node.cols.map((c) => (c < 0 ? left.fields[-c - 1]! : rightFields?.[c - 1])).filter((f) => f !== undefined);
    return { ...left, fields: fields.length === node.cols.length ? fields : left.fields, rows, rowsAffected: 0n };
  },
};

function combine(cols: readonly number[], l: Row, r: Row | undefined): Row {
  return cols.map((c) => (c < 0 ? l[-c - 1] ?? null : r?.[c - 1] ?? null));
}
