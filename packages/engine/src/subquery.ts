import { SqlError } from "@vt/errors";
import type { UncorrelatedSubquery } from "@vt/plan";
import { Type, type BindVariable } from "@vt/sqltypes";
import type { Executor } from "./executor.js";

const enc = new TextEncoder();
const flag = (b: boolean): BindVariable => ({ type: Type.INT64, value: enc.encode(b ? "1" : "0"), values: [] });
const oneColumn = (): SqlError => new SqlError(1241, "21000", "Operand should contain 1 column(s)", "INVALID_ARGUMENT");

/** UncorrelatedSubquery: runs the subquery, binds its values (list, scalar or has-values flag), then runs the outer plan. */
export const uncorrelatedSubqueryExecutor: Executor<UncorrelatedSubquery> = {
  async execute(node, vc, bindVars) {
    const sub = await vc.run(node.subquery, bindVars);
    const bvs = { ...bindVars };
    switch (node.opcode) {
      case "PulloutExists":
        bvs[node.hasValuesName] = flag(sub.rows.length > 0);
        break;
      case "PulloutValue": {
        if (sub.fields.length !== 1) throw oneColumn();
        if (sub.rows.length > 1) throw new SqlError(1242, "21000", "Subquery returns more than 1 row", "INVALID_ARGUMENT");
        const v = sub.rows[0]?.[0] ?? null;
        bvs[node.resultName] = v === null ? { type: Type.NULL_TYPE, value: new Uint8Array(), values: [] } : { type: sub.fields[0]!.type, value: v, values: [] };
        break;
      }
      default: {
        if (sub.fields.length !== 1) throw oneColumn();
        const t = sub.fields[0]!.type;
        const values = sub.rows.map((r) => (r[0] === null || r[0] === undefined
          ? { type: Type.NULL_TYPE, value: new Uint8Array() } : { type: t, value: r[0] }));
        bvs[node.hasValuesName] = flag(values.length > 0);
        bvs[node.resultName] = { type: Type.TUPLE, value: new Uint8Array(), values: values.length > 0 ? values : [{ type: Type.NULL_TYPE, value: new Uint8Array() }] };
      }
    }
    return vc.run(node.outer, bvs);
  },
};
