import { SqlError } from "@vt/errors";
import { compareOp, evaluate, type CollatedValue } from "@vt/evalengine";
import type { SubqueryApply } from "@vt/plan";
import { bindVar, isNumber, makeField, Type, type Field, type Result, type Row } from "@vt/sqltypes";
import type { BindVars } from "./vcursor.js";
import type { ExecCursor, Executor } from "./executor.js";
import { cell, checkMemoryRows } from "./result-utils.js";

const enc = new TextEncoder();
const flag = (b: boolean | null): Uint8Array | null => (b === null ? null : enc.encode(b ? "1" : "0"));
const oneColumn = (): SqlError => new SqlError(1241, "21000", "Operand should contain 1 column(s)", "INVALID_ARGUMENT");

/** SubqueryApply: appends, to each outer row, the value of a subquery run with that row's columns bound. */
export const subqueryApplyExecutor: Executor<SubqueryApply> = {
  async execute(node, vc, bindVars) {
    const outer = await vc.run(node.outer, bindVars);
    checkMemoryRows(outer.rows.length, vc.maxMemoryRows);
    const correlated = Object.keys(node.vars).length > 0;
    let once: Result | undefined;
    let subFields: readonly Field[] | undefined;
    const rows: Row[] = [];
    for (const row of outer.rows) {
      const bv: BindVars = { ...bindVars };
      for (const [name, col] of Object.entries(node.vars)) bv[name] = bindVar(cell(row, outer.fields, col));
      const sub = correlated ? await vc.run(node.subquery, bv) : (once ??= await vc.run(node.subquery, bv));
      subFields ??= sub.fields;
      rows.push([...row, applyValue(node, sub, { bindVars: bv, row, fields: outer.fields })]);
    }
    subFields ??= node.opcode === "Value" ? await fieldsWithNullVars(node, vc, bindVars) : [];
    const type = node.opcode === "Value" ? subFields[0]?.type ?? Type.NULL_TYPE : Type.INT64;
    return { ...outer, fields: [...outer.fields, makeField(node.name, type)], rows, rowsAffected: 0n };
  },
};

/** The subquery's fields when no outer row ran it (its vars bound to NULL). */
async function fieldsWithNullVars(node: SubqueryApply, vc: ExecCursor, bindVars: BindVars): Promise<readonly Field[]> {
  const bv: BindVars = { ...bindVars };
  for (const name of Object.keys(node.vars)) bv[name] = bindVar({ type: Type.NULL_TYPE, raw: null });
  return (await vc.run(node.subquery, bv)).fields;
}

/** The appended column's value for one outer row, from the subquery's result for that row. */
function applyValue(node: SubqueryApply, sub: Result, env: Parameters<typeof evaluate>[1]): Uint8Array | null {
  if (node.opcode === "Exists") return flag(sub.rows.length > 0);
  if (sub.fields.length !== 1) throw oneColumn();
  if (node.opcode === "Value") {
    if (sub.rows.length > 1) throw new SqlError(1242, "21000", "Subquery returns more than 1 row", "INVALID_ARGUMENT");
    return sub.rows[0]?.[0] ?? null;
  }
  const x = evaluate(node.operand!, env);
  const op = node.op ?? "=";
  const all = node.opcode === "All";
  let sawNull = false;
  for (const r of sub.rows) {
    const f = sub.fields[0]!;
    const v: CollatedValue = { type: f.type, raw: r[0] ?? null, ...(isNumber(f.type) ? {} : { collation: f.charset }) };
    const c = compareOp(op, x, v);
    if (c === null) sawNull = true;
    else if (c !== all) return flag(c);
  }
  return sawNull ? null : flag(all);
}
