import type { ArithmeticOp } from "./arithmetic.js";
/**
 * A vtgate-side expression, as plain JSON data (so plans holding it stay serializable):
 * a typed literal, a bind variable, a column of the current row (by offset), or a tuple of those.
 */
export type EvalExpr =
  | { readonly kind: "Literal"; readonly type: number; readonly value: string | null }
  | { readonly kind: "BindVar"; readonly name: string; readonly list?: boolean }
  | { readonly kind: "Column"; readonly offset: number }
  | { readonly kind: "Tuple"; readonly exprs: readonly EvalExpr[] }
  /** Comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`, `<=>`) → 1, 0 or NULL. */
  | { readonly kind: "Compare"; readonly op: CompareOp; readonly left: EvalExpr; readonly right: EvalExpr }
  /** Three-valued AND / OR / NOT. */
  | { readonly kind: "Logic"; readonly op: "and" | "or" | "not"; readonly args: readonly EvalExpr[] }
  /** `expr IS [NOT] NULL`. */
  | { readonly kind: "IsNull"; readonly expr: EvalExpr; readonly not: boolean }
  /** Arithmetic `left op right` with MySQL's result types (arithmetic.ts). */
  | { readonly kind: "Arithmetic"; readonly op: ArithmeticOp; readonly left: EvalExpr; readonly right: EvalExpr }
  /** Searched CASE: the result of the first true condition, else `else` (NULL when absent). IF() is one. */
  | { readonly kind: "Case"; readonly whens: readonly { readonly cond: EvalExpr; readonly result: EvalExpr }[]; readonly else?: EvalExpr }
  /** COALESCE / IFNULL: the first non-NULL argument. */
  | { readonly kind: "Coalesce"; readonly args: readonly EvalExpr[] }
  /** `expr [NOT] IN (list)` with MySQL's NULL rules (no match and a NULL in the list or operand → NULL). */
  | { readonly kind: "InList"; readonly expr: EvalExpr; readonly list: readonly EvalExpr[]; readonly not: boolean };

/** Comparison operators vtgate evaluates. */
export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "<=>";

/** SQL-ish text of an EvalExpr, for describe()/EXPLAIN: `1`, `'a'`, `:vtg1`, `::list`, `:0` (column), `(a, b)`. */
export function evalExprString(e: EvalExpr): string {
  switch (e.kind) {
    case "Literal": return e.value === null ? "null" : /^[-+0-9.eE]+$/.test(e.value) ? e.value : `'${e.value}'`;
    case "BindVar": return e.list ? `::${e.name}` : `:${e.name}`;
    case "Column": return `[COLUMN ${e.offset}]`;
    case "Tuple": return `(${e.exprs.map(evalExprString).join(", ")})`;
    case "Compare": return `${evalExprString(e.left)} ${e.op} ${evalExprString(e.right)}`;
    case "Logic": return e.op === "not" ? `not ${evalExprString(e.args[0]!)}` : `(${e.args.map(evalExprString).join(` ${e.op} `)})`;
    case "IsNull": return `${evalExprString(e.expr)} is ${e.not ? "not " : ""}null`;
    case "Arithmetic": return `${evalExprString(e.left)} ${e.op} ${evalExprString(e.right)}`;
    case "Case": return `case ${e.whens.map((w) => `when ${evalExprString(w.cond)} then ${evalExprString(w.result)}`).join(" ")}${e.else ? ` else ${evalExprString(e.else)}` : ""} end`;
    case "Coalesce": return `coalesce(${e.args.map(evalExprString).join(", ")})`;
    case "InList": return `${evalExprString(e.expr)} ${e.not ? "not in" : "in"} (${e.list.map(evalExprString).join(", ")})`;
  }
}
