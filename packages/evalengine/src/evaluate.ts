import { SqlError } from "@vt/errors";
import { isNumber, Type, type BindVariable, type Row, type Value } from "@vt/sqltypes";
import { arithmetic } from "./arithmetic.js";
import { compareValues, type CollatedValue } from "./compare.js";
import type { CompareOp, EvalExpr } from "./eval-expr.js";

const enc = new TextEncoder();

/** What an expression is evaluated against: the query's bind variables and, for projections, the current row. */
export interface EvalEnv {
  readonly bindVars: Readonly<Record<string, BindVariable>>;
  readonly row?: Row;
  readonly fields?: readonly { readonly type: number; readonly charset?: number }[];
}

/**
 * Evaluates a scalar expression. A list bind variable or tuple evaluates to its values with evaluateList.
 * Throws SqlError 1105 "missing bind var" for an absent bind variable.
 */
export function evaluate(e: EvalExpr, env: EvalEnv): CollatedValue {
  switch (e.kind) {
    case "Literal": return { type: e.type, raw: e.value === null ? null : enc.encode(e.value) };
    case "BindVar": {
      const bv = env.bindVars[e.name];
      if (!bv) throw new SqlError(1105, "HY000", `missing bind var ${e.name}`, "INVALID_ARGUMENT");
      if (bv.type === Type.TUPLE) throw new SqlError(1105, "HY000", `bind var ${e.name} is a tuple`, "INVALID_ARGUMENT");
      return { type: bv.type, raw: bv.type === Type.NULL_TYPE ? null : bv.value };
    }
    case "Column": {
      const f = env.fields?.[e.offset];
      const v: CollatedValue = { type: f?.type ?? Type.VARBINARY, raw: env.row?.[e.offset] ?? null };
      return f?.charset !== undefined && !isNumber(v.type) ? { ...v, collation: f.charset } : v;
    }
    case "Tuple": throw new SqlError(1105, "HY000", "tuple used as a scalar", "INVALID_ARGUMENT");
    case "Compare": return boolValue(compareOp(e.op, evaluate(e.left, env), evaluate(e.right, env)));
    case "Logic": {
      const vals = e.args.map((a) => truth(evaluate(a, env)));
      if (e.op === "not") return boolValue(vals[0] === null ? null : !vals[0]);
      if (e.op === "and") return boolValue(vals.includes(false) ? false : vals.includes(null) ? null : true);
      return boolValue(vals.includes(true) ? true : vals.includes(null) ? null : false);
    }
    case "IsNull": return boolValue((evaluate(e.expr, env).raw === null) !== e.not);
    case "Arithmetic": return arithmetic(e.op, evaluate(e.left, env), evaluate(e.right, env));
    case "Case": {
      for (const w of e.whens) if (truth(evaluate(w.cond, env)) === true) return evaluate(w.result, env);
      return e.else ? evaluate(e.else, env) : { type: Type.NULL_TYPE, raw: null };
    }
    case "Coalesce": {
      for (const a of e.args) {
        const v = evaluate(a, env);
        if (v.raw !== null) return v;
      }
      return { type: Type.NULL_TYPE, raw: null };
    }
    case "InList": {
      const x = evaluate(e.expr, env);
      let sawNull = x.raw === null;
      if (!sawNull) {
        for (const item of e.list) {
          const c = compareOp("=", x, evaluate(item, env));
          if (c === true) return boolValue(!e.not);
          if (c === null) sawNull = true;
        }
      }
      return boolValue(sawNull ? null : e.not);
    }
  }
}

const boolValue = (b: boolean | null): Value => ({ type: Type.INT64, raw: b === null ? null : enc.encode(b ? "1" : "0") });

/** SQL truth of a value: NULL → null, numbers by value, strings by their leading number (MySQL's cast). */
export function truth(v: Value): boolean | null {
  if (v.raw === null) return null;
  const n = parseFloat(new TextDecoder().decode(v.raw));
  return !Number.isNaN(n) && n !== 0;
}

/**
 * A comparison's result: NULL when either side is NULL (except `<=>`). Mixed number/text compares as numbers; text
 * compares under the collation of a column operand (a literal takes the column's collation, as MySQL's coercibility
 * rules give it).
 */
export function compareOp(op: CompareOp, x: CollatedValue, y: CollatedValue): boolean | null {
  const coll = x.collation ?? y.collation;
  const a: CollatedValue = coll !== undefined && x.collation === undefined && !isNumber(x.type) ? { ...x, type: y.type, collation: coll } : x;
  const b: CollatedValue = coll !== undefined && y.collation === undefined && !isNumber(y.type) ? { ...y, type: x.type, collation: coll } : y;
  if (op === "<=>") return a.raw === null || b.raw === null ? a.raw === b.raw : compareValues(a, b) === 0;
  if (a.raw === null || b.raw === null) return null;
  const c = isNumber(a.type) !== isNumber(b.type) ? numericCompare(a, b) : compareValues(a, b);
  switch (op) {
    case "=": return c === 0;
    case "!=": return c !== 0;
    case "<": return c < 0;
    case "<=": return c <= 0;
    case ">": return c > 0;
    case ">=": return c >= 0;
  }
}

function numericCompare(a: Value, b: Value): number {
  const d = new TextDecoder();
  const x = parseFloat(d.decode(a.raw!)) || 0;
  const y = parseFloat(d.decode(b.raw!)) || 0;
  return x < y ? -1 : x > y ? 1 : 0;
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
