import type { Expr } from "@vt/sqlparser";
import { Type } from "@vt/sqltypes";
import type { ArithmeticOp } from "./arithmetic.js";
import type { CompareOp, EvalExpr } from "./eval-expr.js";

const ARITH: Readonly<Record<string, ArithmeticOp>> = { "+": "+", "-": "-", "*": "*", "/": "/", div: "div", "%": "%", mod: "%" };
const CMP: Readonly<Record<string, CompareOp>> = { "=": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "<=>": "<=>" };

/**
 * Translates an AST expression into an EvalExpr when vtgate can evaluate it by itself (literals, bind variables,
 * tuples of those, unary minus on a number, comparisons, AND/OR/NOT, IS [NOT] NULL); undefined otherwise (the
 * expression must go to a shard). `column` maps sub-expressions that are columns of vtgate's row to their offsets.
 */
export function translateExpr(e: Expr, column?: (e: Expr) => number | undefined): EvalExpr | undefined {
  const off = column?.(e);
  if (off !== undefined) return { kind: "Column", offset: off };
  switch (e.kind) {
    case "Literal":
      switch (e.type) {
        case "int": return { kind: "Literal", type: intType(e.value), value: e.value };
        case "decimal": return { kind: "Literal", type: Type.DECIMAL, value: e.value };
        case "float": return { kind: "Literal", type: Type.FLOAT64, value: e.value };
        case "string": return { kind: "Literal", type: Type.VARCHAR, value: e.value };
        case "null": return { kind: "Literal", type: Type.NULL_TYPE, value: null };
        case "bool": return { kind: "Literal", type: Type.INT64, value: e.value === "true" ? "1" : "0" };
        default: return undefined;
      }
    case "Arg": return e.list ? { kind: "BindVar", name: e.name, list: true } : { kind: "BindVar", name: e.name };
    case "Tuple": {
      const exprs = e.exprs.map((x) => translateExpr(x, column));
      return exprs.every((x) => x !== undefined) ? { kind: "Tuple", exprs: exprs as EvalExpr[] } : undefined;
    }
    case "Binary": {
      const op = e.op.toLowerCase();
      if (op === "and" || op === "or" || op === "&&" || op === "||") {
        const l = translateExpr(e.left, column);
        const r = translateExpr(e.right, column);
        return l && r ? { kind: "Logic", op: op === "and" || op === "&&" ? "and" : "or", args: [l, r] } : undefined;
      }
      if (op === "is" || op === "is not") {
        const l = translateExpr(e.left, column);
        return l && e.right.kind === "Literal" && e.right.type === "null" ? { kind: "IsNull", expr: l, not: op === "is not" } : undefined;
      }
      const arith = ARITH[op];
      if (arith && column) {
        const l = translateExpr(e.left, column);
        const r = translateExpr(e.right, column);
        return l && r ? { kind: "Arithmetic", op: arith, left: l, right: r } : undefined;
      }
      if ((op === "in" || op === "not in") && column && e.right.kind === "Tuple") {
        const x = translateExpr(e.left, column);
        const list = e.right.exprs.map((x) => translateExpr(x, column));
        if (!x || x.kind === "Tuple" || list.some((l) => l === undefined || l.kind === "Tuple")) return undefined;
        return { kind: "InList", expr: x, list: list as EvalExpr[], not: op === "not in" };
      }
      const cmp = CMP[op];
      if (!cmp) return undefined;
      const l = translateExpr(e.left, column);
      const r = translateExpr(e.right, column);
      return l && r ? { kind: "Compare", op: cmp, left: l, right: r } : undefined;
    }
    case "Case": {
      if (!column) return undefined;
      const subject = e.expr ? translateExpr(e.expr, column) : undefined;
      if (e.expr && !subject) return undefined;
      const whens = e.whens.map((w) => {
        const c = translateExpr(w.cond, column);
        const r = translateExpr(w.result, column);
        return c && r ? { cond: subject ? { kind: "Compare" as const, op: "=" as const, left: subject, right: c } : c, result: r } : undefined;
      });
      const otherwise = e.else ? translateExpr(e.else, column) : undefined;
      if (whens.some((w) => w === undefined) || (e.else && !otherwise)) return undefined;
      return { kind: "Case", whens: whens as { cond: EvalExpr; result: EvalExpr }[], ...(otherwise ? { else: otherwise } : {}) };
    }
    case "FuncCall": {
      if (!column || e.distinct) return undefined;
      const args = e.args.map((x) => translateExpr(x, column));
      if (args.some((a) => a === undefined)) return undefined;
      const a = args as EvalExpr[];
      if (e.name === "if" && a.length === 3) return { kind: "Case", whens: [{ cond: a[0]!, result: a[1]! }], else: a[2]! };
      if ((e.name === "ifnull" && a.length === 2) || (e.name === "coalesce" && a.length > 0)) return { kind: "Coalesce", args: a };
      return undefined;
    }
    case "Between": {
      if (!column) return undefined;
      const x = translateExpr(e.expr, column);
      const lo = translateExpr(e.low, column);
      const hi = translateExpr(e.high, column);
      if (!x || !lo || !hi) return undefined;
      const between: EvalExpr = { kind: "Logic", op: "and", args: [{ kind: "Compare", op: ">=", left: x, right: lo }, { kind: "Compare", op: "<=", left: x, right: hi }] };
      return e.not ? { kind: "Logic", op: "not", args: [between] } : between;
    }
    case "Unary":
      if ((e.op === "not" || e.op === "!") && column) {
        const x = translateExpr(e.expr, column);
        return x ? { kind: "Logic", op: "not", args: [x] } : undefined;
      }
      if (e.op === "-" && e.expr.kind === "Literal" && ["int", "decimal", "float"].includes(e.expr.type)) {
        return translateExpr({ ...e.expr, value: e.expr.value.startsWith("-") ? e.expr.value.slice(1) : `-${e.expr.value}` });
      }
      if (e.op === "-" && column) {
        const x = translateExpr(e.expr, column);
        return x ? { kind: "Arithmetic", op: "-", left: { kind: "Literal", type: Type.INT64, value: "0" }, right: x } : undefined;
      }
      return undefined;
    default: return undefined;
  }
}

function intType(s: string): number {
  const n = BigInt(s);
  return n > 9223372036854775807n ? Type.UINT64 : Type.INT64;
}
