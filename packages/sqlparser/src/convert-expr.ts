// Translates node-sql-parser expression nodes into our AST. Internal: third-party shapes stop here.
import type { Expr, OrderBy, Limit, SelectStatement, WindowSpec } from "./ast.js";
import { unquote } from "./lexer.js";
import { WINDOW_PREFIX } from "./window-syntax.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
/** A node-sql-parser node (untyped JSON). */
export type N = any;

/** Callbacks the expression converter needs from the statement converter. */
export interface ConvertCtx {
  select(ast: N): SelectStatement;
  /** Fallback printer for expressions we do not model. */
  raw(expr: N): string;
  /** Common table expressions in scope (WITH name AS (...)), by lower-case name: references become derived tables. */
  readonly ctes?: ReadonlyMap<string, SelectStatement>;
  /** Window specifications of the `__vtwinN(...)` wrappers (window-syntax.ts), by N. */
  readonly windows?: readonly WindowSpec[];
  /** The recursive CTE whose body is being converted (lower-case): references to it are `recursiveRef` tables. */
  readonly recursiveCte?: string | undefined;
}

/** Identifier text from a string or a `{type, value}` / `{expr: {value}}` node. */
export function ident(x: N): string {
  if (x === null || x === undefined) return "";
  if (typeof x === "string") return x;
  if (typeof x.value === "string") return x.value;
  if (x.expr) return ident(x.expr);
  return String(x);
}

const LIST_PREFIX = "__vtlist_";
/** Parameter name prefix that carries a long numeric literal's text through node-sql-parser (see parse.ts). */
export const NUMBER_ARG_PREFIX = "__vtnum_";
/** Suffix marking `SUM/AVG/MIN/MAX(DISTINCT ...)`, which node-sql-parser cannot parse, as a plain call (parse.ts). */
export const DISTINCT_SUFFIX = "__vtdistinct";
/** Suffix carrying function names node-sql-parser rejects (`STD(x)` travels as `std__vtfn(x)`). */
export const FUNCTION_SUFFIX = "__vtfn";

/** Converts one expression node. */
export function convertExpr(e: N, ctx: ConvertCtx): Expr {
  if (e === null || e === undefined) return { kind: "Literal", type: "null", value: "" };
  if (e.ast) return { kind: "Subquery", select: ctx.select(e.ast) };
  switch (e.type) {
    case "column_ref": return columnRef(e);
    case "number": return numberLit(e.value);
    case "bigint": return { kind: "Literal", type: "int", value: String(e.value) };
    case "single_quote_string": case "double_quote_string": case "string": case "natural_string":
      return { kind: "Literal", type: "string", value: unquote(`'${e.value}'`) };
    case "hex_string": case "full_hex_string": return { kind: "Literal", type: "hex", value: String(e.value) };
    case "bit_string": return { kind: "Literal", type: "bit", value: String(e.value) };
    case "null": return { kind: "Literal", type: "null", value: "" };
    case "bool": return { kind: "Literal", type: "bool", value: e.value ? "true" : "false" };
    case "param": {
      const name = String(e.value);
      if (name.startsWith(NUMBER_ARG_PREFIX)) {
        const text = name.slice(NUMBER_ARG_PREFIX.length).replace("_", ".");
        return { kind: "Literal", type: text.includes(".") ? "decimal" : "int", value: text };
      }
      return name.startsWith(LIST_PREFIX) ? { kind: "Arg", name: name.slice(LIST_PREFIX.length), list: true } : { kind: "Arg", name };
    }
    case "binary_expr": return binary(e, ctx);
    case "unary_expr": {
      const op = String(e.operator).toLowerCase();
      const expr = convertExpr(e.expr, ctx);
      // `NOT EXISTS (...)` arrives as a unary operator over the subquery.
      if (op === "not exists" && expr.kind === "Subquery") return { kind: "Exists", select: expr.select, not: true };
      if (op === "not" && expr.kind === "Exists") return { ...expr, not: !expr.not };
      return { kind: "Unary", op, expr };
    }
    case "expr_list": return { kind: "Tuple", exprs: (e.value as N[]).map((x) => convertExpr(x, ctx)) };
    case "aggr_func": return aggr(e, ctx);
    case "function": return func(e, ctx);
    case "case": return caseExpr(e, ctx);
    case "var": return variable(e);
    case "star": return { kind: "Star" };
    default: return { kind: "RawExpr", text: ctx.raw(e) };
  }
}

function columnRef(e: N): Expr {
  const name = ident(e.column);
  const table = e.table ? ident(e.table) : undefined;
  const qualifier = e.db ? ident(e.db) : e.schema ? ident(e.schema) : undefined;
  if (name === "*") return table ? { kind: "Star", table } : { kind: "Star" };
  return { kind: "Column", name, ...(table ? { table } : {}), ...(qualifier ? { qualifier } : {}) };
}

function numberLit(v: unknown): Expr {
  const s = String(v);
  const type = /[eE]/.test(s) ? "float" : s.includes(".") ? "decimal" : "int";
  return { kind: "Literal", type, value: s };
}

const LOGICAL: Record<string, string> = { and: "and", "&&": "and", or: "or", "||": "or", xor: "xor" };
const LOGICAL_PREC: Record<string, number> = { or: 1, xor: 2, and: 3 };

/**
 * node-sql-parser gives AND/OR/XOR chains the wrong shape (equal precedence in WHERE, right-associative in select
 * lists). The in-order operand sequence is right, so flatten each unparenthesised chain and rebuild it with MySQL
 * precedence (OR < XOR < AND), left-associative.
 */
function logicalChain(e: N, ctx: ConvertCtx): Expr {
  const operands: Expr[] = [];
  const ops: string[] = [];
  const walk = (n: N, top: boolean): void => {
    const op = n?.type === "binary_expr" ? LOGICAL[String(n.operator).toLowerCase()] : undefined;
    if (op && (top || !n.parentheses)) {
      walk(n.left, false);
      ops.push(op);
      walk(n.right, false);
    } else {
      operands.push(convertExpr(n, ctx));
    }
  };
  walk(e, true);
  const outOps: string[] = [];
  const outVals: Expr[] = [operands[0]!];
  const reduce = (): void => {
    const right = outVals.pop()!;
    const left = outVals.pop()!;
    outVals.push({ kind: "Binary", op: outOps.pop()!, left, right });
  };
  ops.forEach((op, i) => {
    while (outOps.length > 0 && LOGICAL_PREC[outOps[outOps.length - 1]!]! >= LOGICAL_PREC[op]!) reduce();
    outOps.push(op);
    outVals.push(operands[i + 1]!);
  });
  while (outOps.length > 0) reduce();
  return outVals[0]!;
}

function binary(e: N, ctx: ConvertCtx): Expr {
  const op = String(e.operator).toLowerCase();
  if (LOGICAL[op]) return logicalChain(e, ctx);
  const left = convertExpr(e.left, ctx);
  if (op === "between" || op === "not between") {
    const [lo, hi] = e.right.value as N[];
    return { kind: "Between", expr: left, low: convertExpr(lo, ctx), high: convertExpr(hi, ctx), not: op !== "between" };
  }
  let right = convertExpr(e.right, ctx);
  if ((op === "in" || op === "not in") && right.kind === "Tuple" && right.exprs.length === 1 && right.exprs[0]!.kind === "Arg" && right.exprs[0]!.list) {
    right = right.exprs[0]!;
  }
  return { kind: "Binary", op: op === "&&" ? "and" : op === "||" ? "or" : op === "<>" ? "!=" : op, left, right };
}

/** Aggregates that take their own ORDER BY. */
const ORDERED_AGGREGATES = new Set(["group_concat", "json_arrayagg"]);

function aggr(e: N, ctx: ConvertCtx): Expr {
  const name = String(e.name).toLowerCase();
  const a = e.args ?? {};
  const arg = a.expr;
  const args: Expr[] = arg === undefined || arg === null ? [] : arg.type === "expr_list" ? (arg.value as N[]).map((x) => convertExpr(x, ctx)) : [convertExpr(arg, ctx)];
  // Window aggregates (`COUNT(*) OVER (...)`) and ORDER BY/SEPARATOR outside GROUP_CONCAT are kept verbatim.
  if (e.over || ((a.orderby || a.separator) && !ORDERED_AGGREGATES.has(name))) return { kind: "RawExpr", text: ctx.raw(e) };
  const sep = a.separator?.value?.value ?? a.separator?.value;
  const orderBy = a.orderby ? convertOrderBy(a.orderby, ctx) : [];
  return {
    kind: "FuncCall", name, args, ...(a.distinct ? { distinct: true } : {}),
    ...(orderBy.length > 0 ? { orderBy } : {}), ...(typeof sep === "string" ? { separator: sep } : {}),
  };
}

function func(e: N, ctx: ConvertCtx): Expr {
  const name = (e.name?.name as N[] | undefined)?.map(ident).join(".").toLowerCase() ?? ident(e.name).toLowerCase();
  const args: N[] = e.args?.value ?? (e.args?.expr ? [e.args.expr] : []);
  if (name === "exists" && args.length === 1 && args[0]?.ast) return { kind: "Exists", select: ctx.select(args[0].ast) };
  if (e.over) return { kind: "RawExpr", text: ctx.raw(e) };
  if (name.startsWith(WINDOW_PREFIX) && args.length === 1) {
    const over = ctx.windows?.[Number(name.slice(WINDOW_PREFIX.length))];
    const func = convertExpr(args[0], ctx);
    if (over && func.kind === "FuncCall") return { kind: "WindowFunc", func, over };
  }
  if (name.endsWith(FUNCTION_SUFFIX)) return { kind: "FuncCall", name: name.slice(0, -FUNCTION_SUFFIX.length), args: args.map((x) => convertExpr(x, ctx)) };
  if (name.endsWith(DISTINCT_SUFFIX)) return { kind: "FuncCall", name: name.slice(0, -DISTINCT_SUFFIX.length), args: args.map((x) => convertExpr(x, ctx)), distinct: true };
  return { kind: "FuncCall", name, args: args.map((x) => convertExpr(x, ctx)) };
}

function caseExpr(e: N, ctx: ConvertCtx): Expr {
  const whens: { cond: Expr; result: Expr }[] = [];
  let elseExpr: Expr | undefined;
  for (const a of e.args as N[]) {
    if (a.type === "when") whens.push({ cond: convertExpr(a.cond, ctx), result: convertExpr(a.result, ctx) });
    else elseExpr = convertExpr(a.result, ctx);
  }
  return { kind: "Case", ...(e.expr ? { expr: convertExpr(e.expr, ctx) } : {}), whens, ...(elseExpr ? { else: elseExpr } : {}) };
}

function variable(e: N): Expr {
  const members = (e.members as string[] | undefined) ?? [];
  if (e.prefix === "@") return { kind: "Variable", scope: "user", name: String(e.name) };
  const first = String(e.name).toLowerCase();
  if (e.prefix === "@@") {
    if ((first === "session" || first === "global" || first === "local") && members.length > 0) {
      return { kind: "Variable", scope: first === "global" ? "global" : "session", name: members.join("."), explicit: true };
    }
    return { kind: "Variable", scope: "session", name: [e.name, ...members].join("."), explicit: true };
  }
  return { kind: "Variable", scope: "session", name: [e.name, ...members].join(".") };
}

/** ORDER BY list. */
export function convertOrderBy(list: N, ctx: ConvertCtx): OrderBy[] {
  if (!Array.isArray(list)) return [];
  return list.map((o: N) => ({ expr: convertExpr(o.expr, ctx), desc: String(o.type ?? "").toUpperCase() === "DESC" }));
}

/** LIMIT clause in its three spellings (`n`, `off, n`, `n offset off`). */
export function convertLimit(l: N, ctx: ConvertCtx): Limit | undefined {
  const vals = l?.value as N[] | undefined;
  if (!vals || vals.length === 0) return undefined;
  if (vals.length === 1) return { count: convertExpr(vals[0], ctx) };
  if (l.seperator === ",") return { offset: convertExpr(vals[0], ctx), count: convertExpr(vals[1], ctx) };
  return { count: convertExpr(vals[0], ctx), offset: convertExpr(vals[1], ctx) };
}

/** Prefix used to carry `::name` list arguments through node-sql-parser as `:__vtlist_name`. */
export const LIST_ARG_PREFIX = LIST_PREFIX;
