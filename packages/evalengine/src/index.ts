// @vt/evalengine: what vtgate computes itself. EvalExpr is plain data (literal, bind variable, row column, tuple)
// that plans carry; evaluate() resolves it against bind variables and a row; compareValues() orders values for
// merge-sort/MIN/MAX; the exact Decimal helpers merge SUM/AVG over raw text without JS floats; translateExpr() turns
// AST expressions into EvalExprs when vtgate can evaluate them.
export { type EvalExpr, type CompareOp, evalExprString } from "./eval-expr.js";
export { evaluate, evaluateList, evaluateCount, truth, compareOp, type EvalEnv } from "./evaluate.js";
export { compareValues, valuesEqual, cellCompare, type CellCompare, type CollatedValue } from "./compare.js";
export { compareCollated, compareGeneralCi, generalCiWeight, generalCiWeightOf, isCaseInsensitive, compareBytes } from "./collation.js";
export { type Decimal, parseDecimal, addDecimal, compareDecimal, divideDecimal, decimalToString } from "./decimal.js";
export { translateExpr } from "./translate.js";
export { arithmetic, formatDouble, type ArithmeticOp } from "./arithmetic.js";
