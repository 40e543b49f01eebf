/**
 * A vtgate-side expression, as plain JSON data (so plans holding it stay serializable):
 * a typed literal, a bind variable, a column of the current row (by offset), or a tuple of those.
 */
export type EvalExpr =
  | { readonly kind: "Literal"; readonly type: number; readonly value: string | null }
  | { readonly kind: "BindVar"; readonly name: string; readonly list?: boolean }
  | { readonly kind: "Column"; readonly offset: number }
  | { readonly kind: "Tuple"; readonly exprs: readonly EvalExpr[] };

/** SQL-ish text of an EvalExpr, for describe()/EXPLAIN: `1`, `'a'`, `:vtg1`, `::list`, `:0` (column), `(a, b)`. */
export function evalExprString(e: EvalExpr): string {
  switch (e.kind) {
    case "Literal": return e.value === null ? "null" : /^[-+0-9.eE]+$/.test(e.value) ? e.value : `'${e.value}'`;
    case "BindVar": return e.list ? `::${e.name}` : `:${e.name}`;
    case "Column": return `[COLUMN ${e.offset}]`;
    case "Tuple": return `(${e.exprs.map(evalExprString).join(", ")})`;
  }
}
