import { SqlError } from "@vt/errors";
import { Type, type BindVariable, type Row, type Value } from "@vt/sqltypes";
import type { EvalExpr } from "./eval-expr.js";

const enc = new TextEncoder();

/** What an expression is evaluated against: the query's bind variables and, for projections, the current row. */
export interface EvalEnv {
  readonly bindVars: Readonly<Record<string, BindVariable>>;
  readonly row?: Row;
  readonly fields?: readonly { readonly type: number }[];
}

/**
 * Evaluates a scalar expression. A list bind variable or tuple evaluates to its values with evaluateList.
 * Throws SqlError 1105 "missing bind var" for an absent bind variable.
 */
export function evaluate(e: EvalExpr, env: EvalEnv): Value {
  switch (e.kind) {
    case "Literal": return { type: e.type, raw: e.value === null ? null : enc.encode(e.value) };
    case "BindVar": {
      const bv = env.bindVars[e.name];
      if (!bv) throw new SqlError(1105, "HY000", `missing bind var ${e.name}`, "INVALID_ARGUMENT");
      if (bv.type === Type.TUPLE) throw new SqlError(1105, "HY000", `bind var ${e.name} is a tuple`, "INVALID_ARGUMENT");
      return { type: bv.type, raw: bv.type === Type.NULL_TYPE ? null : bv.value };
    }
    case "Column": return { type: env.fields?.[e.offset]?.type ?? Type.VARBINARY, raw: env.row?.[e.offset] ?? null };
    case "Tuple": throw new SqlError(1105, "HY000", "tuple used as a scalar", "INVALID_ARGUMENT");
  }
}

/** Evaluates a list: a TUPLE bind variable, a Tuple expression, or a scalar as a one-element list. */
export function evaluateList(e: EvalExpr, env: EvalEnv): Value[] {
  if (e.kind === "Tuple") return e.exprs.map((x) => evaluate(x, env));
  if (e.kind === "BindVar") {
    const bv = env.bindVars[e.name];
    if (bv && bv.type === Type.TUPLE) return bv.values.map((v) => ({ type: v.type, raw: v.type === Type.NULL_TYPE ? null : v.value }));
  }
  return [evaluate(e, env)];
}

/** Evaluates to a non-negative integer (LIMIT/OFFSET/NEXT n). Throws SqlError 1210 otherwise. */
export function evaluateCount(e: EvalExpr, env: EvalEnv): number {
  const v = evaluate(e, env);
  const s = v.raw === null ? "" : new TextDecoder().decode(v.raw);
  if (!/^\d+$/.test(s)) throw new SqlError(1210, "HY000", "Incorrect arguments to LIMIT", "INVALID_ARGUMENT");
  return Number(s);
}
