import { evaluate, type EvalExpr } from "@vt/evalengine";
import type { EvalProjection } from "@vt/plan";
import { makeField, Type, type Field, type Row } from "@vt/sqltypes";
import type { Executor } from "./executor.js";

/** Evaluates each output column over every input row (expressions over aggregates, derived tables, joins). */
export const evalProjectionExecutor: Executor<EvalProjection> = {
  async execute(node, vc, bindVars) {
    const r = await vc.run(node.input, bindVars);
    const types: (number | undefined)[] = node.exprs.map((e) => staticType(e, r.fields));
    const rows: Row[] = r.rows.map((row) => node.exprs.map((e, i) => {
      const v = evaluate(e, { bindVars, row, fields: r.fields });
      if (types[i] === undefined && v.raw !== null) types[i] = v.type;
      return v.raw;
    }));
    const fields: Field[] = node.exprs.map((e, i) => {
      const name = node.names[i] ?? "";
      if (e.kind === "Column" && r.fields[e.offset]) return { ...r.fields[e.offset]!, name };
      if (e.kind === "BindVar" && !e.list) {
        const bv = bindVars[e.name];
        if (bv && bv.type !== Type.TUPLE) return makeField(name, bv.type);
      }
      return makeField(name, types[i] ?? Type.NULL_TYPE);
    });
    return { ...r, fields, rows };
  },
};

/** The result type of an expression when it does not depend on the row's values. */
function staticType(e: EvalExpr, fields: readonly Field[]): number | undefined {
  switch (e.kind) {
    case "Column": return fields[e.offset]?.type;
    case "Literal": return e.type;
    case "Compare": case "Logic": case "IsNull": return Type.INT64;
    default: return undefined;
  }
}
