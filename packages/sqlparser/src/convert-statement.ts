// Translates node-sql-parser statement nodes (select/insert/update/delete/set) into our AST.
import { NATURAL_MARKER } from "./natural-join-syntax.js";
import type { Expr, Insert, SelectExpr, SelectStatement, SetStatement, Statement, TableExpr, UpdateExpr, Variable, Select, TableName } from "./ast.js";
import { SqlError, VT } from "@vt/errors";
import { convertExpr, convertLimit, convertOrderBy, ident, type ConvertCtx, type N } from "./convert-expr.js";

/** Converts one node-sql-parser statement; returns undefined for statement types we do not model. */
export function convertStatement(ast: N, ctx: ConvertCtx): Statement | undefined {
  switch (ast.type) {
    case "select": return convertSelect(ast, ctx);
    case "insert": case "replace": return convertInsert(ast, ctx);
    case "update": return convertUpdate(ast, ctx);
    case "delete": return convertDelete(ast, ctx);
    case "set": return convertSet(ast, ctx);
    default: return undefined;
  }
}

/** SELECT, following `_next` chains into left-deep UNIONs; trailing ORDER BY/LIMIT belong to the union. */
export function convertSelect(ast: N, outer: ConvertCtx): SelectStatement {
  const ctx = withCtes(ast, outer);
  if (!ast._next) return convertSimpleSelect(ast, ctx);
  const parts: N[] = [];
  const ops: string[] = [];
  for (let cur: N = ast; cur; cur = cur._next) {
    parts.push(cur);
    if (cur._next) ops.push(String(cur.set_op ?? "union").toLowerCase());
  }
  const last = parts[parts.length - 1];
  // `... UNION (SELECT ... ORDER BY ... LIMIT n)`: a parenthesized last part keeps its own ORDER BY/LIMIT.
  const own = last.parentheses_symbol === true;
  const orderBy = own ? [] : convertOrderBy(last.orderby, ctx);
  const limit = own ? undefined : convertLimit(last.limit, ctx);
  let left: SelectStatement = convertSimpleSelect(parts[0], ctx);
  for (let i = 1; i < parts.length; i++) {
    const isLast = i === parts.length - 1;
    const right = convertSimpleSelect(isLast && !own ? { ...parts[i], orderby: null, limit: null } : parts[i], ctx);
    const op = ops[i - 1] ?? "union";
    left = {
      kind: "Union", left, right, distinct: !op.includes("all"),
      orderBy: isLast ? orderBy : [], ...(isLast && limit ? { limit } : {}),
    };
  }
  return left;
}

/**
 * A context where the statement's CTEs are known: each later CTE may use the earlier ones, and every reference
 * becomes a derived table (inlining, as MariaDB's optimizer does for non-recursive CTEs). A CTE column list renames
 * the select items of its (first) SELECT. Under WITH RECURSIVE, a CTE whose body references itself becomes a Union
 * marked `recursive` (anchor on the left, the self-referencing part on the right).
 * Throws VT12001 for a column list over `*` or of the wrong length, and for self-references other than in the last
 * part of a UNION.
 */
function withCtes(ast: N, outer: ConvertCtx): ConvertCtx {
  const list = ast.with;
  if (!Array.isArray(list) || list.length === 0) return outer;
  const ctes = new Map(outer.ctes ?? []);
  const ctx: ConvertCtx = { ...outer, ctes, select: (a: N): SelectStatement => convertSelect(a, ctx) };
  for (const w of list as N[]) {
    const name = ident(w.name).toLowerCase();
    const recursive = !!(w.recursive || ast.with_recursive);
    const inner: ConvertCtx = { ...ctx, ctes: new Map(ctes), recursiveCte: recursive ? name : undefined, select: (a: N): SelectStatement => convertSelect(a, inner) };
    let body = convertSelect(w.stmt?.ast ?? w.stmt, inner);
    const columns = Array.isArray(w.columns) ? (w.columns as N[]).map((c) => ident(c.column ?? c)) : [];
    if (columns.length > 0) body = renameColumns(body, columns);
    if (recursive && referencesTable(body, name)) body = recursiveUnion(body, ident(w.name), name);
    ctes.set(name, body);
  }
  return ctx;
}

/** Applies a CTE column list to the select items of the statement's first SELECT. */
function renameColumns(s: SelectStatement, columns: readonly string[]): SelectStatement {
  if (s.kind === "Union") return { ...s, left: renameColumns(s.left, columns) };
  if (s.columns.some((c) => c.kind === "Star")) throw VT.VT12001("a CTE column list over '*'");
  if (s.columns.length !== columns.length) throw new SqlError(1353, "HY000", "In definition of view, derived table or common table expression, SELECT list and column names list have different column counts");
  return { ...s, columns: s.columns.map((c, i) => (c.kind === "AliasedExpr" ? { kind: "AliasedExpr", expr: c.expr, as: columns[i]! } : c)) };
}

/** The recursive CTE's body as a Union marked `recursive`: only its last part may reference the CTE. */
function recursiveUnion(body: SelectStatement, name: string, lower: string): SelectStatement {
  if (body.kind !== "Union" || referencesTable(body.left, lower)) {
    throw VT.VT12001(`recursive CTE ${name}: the recursive reference must be in the last part of a UNION after the anchor`);
  }
  return { ...body, recursive: { name } };
}

/** True when the statement (its FROM lists, derived tables and subqueries) references the recursive CTE `lower`. */
function referencesTable(s: SelectStatement, lower: string): boolean {
  let found = false;
  JSON.stringify(s, (k, v: unknown) => {
    const t = v as { kind?: string; recursiveRef?: boolean; table?: { name?: string } } | null;
    if (t && typeof t === "object" && t.kind === "AliasedTable" && t.recursiveRef && t.table?.name?.toLowerCase() === lower) found = true;
    return v;
  });
  return found;
}

function convertSimpleSelect(ast: N, ctx: ConvertCtx): Select {
  const columns: SelectExpr[] = (ast.columns === "*" ? [{ expr: { type: "column_ref", column: "*" } }] : ast.columns as N[])
    .map((c: N) => {
      const expr = convertExpr(c.expr, ctx);
      if (expr.kind === "Star") return expr;
      return { kind: "AliasedExpr", expr, ...(c.as ? { as: ident(c.as) } : {}) } as const;
    });
  const groupCols: N[] = Array.isArray(ast.groupby) ? ast.groupby : ast.groupby?.columns ?? [];
  const lock = ast.locking_read ? (String(ast.locking_read.type ?? ast.locking_read).toLowerCase().includes("share") ? "lock in share mode" : "for update") : undefined;
  const limit = convertLimit(ast.limit, ctx);
  return {
    kind: "Select",
    distinct: !!ast.distinct && String(ast.distinct.type ?? ast.distinct).toUpperCase() === "DISTINCT",
    columns,
    from: convertFrom(ast.from, ctx),
    ...(ast.where ? { where: convertExpr(ast.where, ctx) } : {}),
    groupBy: groupCols.map((g) => convertExpr(g, ctx)),
    ...(hasRollup(ast.groupby) ? { rollup: true as const } : {}),
    ...(ast.having ? { having: convertExpr(ast.having, ctx) } : {}),
    orderBy: convertOrderBy(ast.orderby, ctx),
    ...(limit ? { limit } : {}),
    ...(lock ? { lock } : {}),
    ...(Array.isArray(ast.options) && ast.options.some((o: unknown) => String(o).toLowerCase() === "sql_calc_found_rows") ? { calcFoundRows: true } : {}),
  };
}

/** True when node-sql-parser's GROUP BY carries the `WITH ROLLUP` modifier. */
const hasRollup = (g: N): boolean =>
  Array.isArray(g?.modifiers) && (g.modifiers as N[]).some((m) => String(m?.value ?? m).toLowerCase().includes("rollup"));

/** FROM list: node-sql-parser's flat list with `join` markers becomes left-deep JoinTable trees. */
export function convertFrom(from: N, ctx: ConvertCtx): TableExpr[] {
  // A FROM that starts with a parenthesized join, `(a JOIN b ON ...) JOIN c ON ...`, comes as one object: the
  // group in `expr`, what is joined to it in `joins`.
  if (from && !Array.isArray(from) && Array.isArray(from.expr)) from = [{ expr: from.expr }, ...((from.joins as N[] | undefined) ?? [])];
  if (!Array.isArray(from)) return [];
  const out: TableExpr[] = [];
  for (const f of from as N[]) {
    if (f.type === "dual") continue;
    if (Array.isArray(f.joins) && f.joins.length > 0) throw new Error("unsupported nesting of parenthesized joins");
    const te = tableFactor(f, ctx);
    const prev = out[out.length - 1];
    if (f.join && prev) {
      const kind = String(f.join).toLowerCase().replace("inner join", "join").replace("left outer join", "left join").replace("right outer join", "right join");
      const using = f.using ? (f.using as N[]).map(ident) : undefined;
      const natural = using?.length === 1 && using[0] === NATURAL_MARKER; // natural-join-syntax.ts
      out[out.length - 1] = {
        kind: "JoinTable", join: natural ? `natural ${kind}` : kind, left: prev, right: te,
        ...(f.on ? { on: convertExpr(f.on, ctx) } : {}),
        ...(using && !natural ? { using } : {}),
      };
    } else {
      out.push(te);
    }
  }
  return out;
}

function tableFactor(f: N, ctx: ConvertCtx): TableExpr {
  if (Array.isArray(f.expr)) {
    // A parenthesized join, `a LEFT JOIN (b JOIN c ON ...) ON ...`: node-sql-parser nests its flat list in `expr`.
    return crossJoin(convertFrom(f.expr, ctx));
  }
  if (f.expr?.ast) return { kind: "DerivedTable", select: convertSelect(f.expr.ast, ctx), as: ident(f.as) };
  const cte = !f.db && f.table ? ctx.ctes?.get(ident(f.table).toLowerCase()) : undefined;
  if (cte) return { kind: "DerivedTable", select: cte, as: f.as ? ident(f.as) : ident(f.table) };
  const qualifier = f.db ? ident(f.db) : undefined;
  const self = !f.db && f.table && ctx.recursiveCte !== undefined && ident(f.table).toLowerCase() === ctx.recursiveCte;
  return {
    kind: "AliasedTable", table: { name: ident(f.table), ...(qualifier ? { qualifier } : {}) },
    ...(f.as ? { as: ident(f.as) } : {}), ...(self ? { recursiveRef: true } : {}),
  };
}

function convertInsert(ast: N, ctx: ConvertCtx): Insert {
  const t = (ast.table as N[])[0];
  const qualifier = t.db ? ident(t.db) : undefined;
  const v = ast.values;
  const rows = v?.type === "values"
    ? (v.values as N[]).map((r: N) => (r.value as N[]).map((x) => convertExpr(x, ctx)))
    : convertSelect(v?.ast ?? v, ctx);
  return {
    kind: "Insert", action: ast.type === "replace" ? "replace" : "insert",
    ignore: String(ast.prefix ?? "").toLowerCase().includes("ignore"),
    table: { name: ident(t.table), ...(qualifier ? { qualifier } : {}) },
    columns: ((ast.columns as N[] | null) ?? []).map(ident),
    rows,
    onDup: setList(ast.on_duplicate_update?.set, ctx),
  };
}

function setList(list: N, ctx: ConvertCtx): UpdateExpr[] {
  if (!Array.isArray(list)) return [];
  return list.map((s: N) => ({
    column: { kind: "Column", name: ident(s.column), ...(s.table ? { table: ident(s.table) } : {}) },
    expr: convertExpr(s.value, ctx),
  }));
}

/** A FROM list as one table expression: `a, b, c` is `a join b join c`. Throws on an empty list. */
function crossJoin(from: TableExpr[]): TableExpr {
  const first = from[0];
  if (!first) throw new Error("missing table");
  return from.slice(1).reduce<TableExpr>((l, r) => ({ kind: "JoinTable", join: "join", left: l, right: r }), first);
}

function singleTable(ast: N, ctx: ConvertCtx): TableExpr {
  return crossJoin(convertFrom(ast.from ?? ast.table, ctx));
}

function convertUpdate(ast: N, ctx: ConvertCtx): Statement {
  const limit = convertLimit(ast.limit, ctx);
  return {
    kind: "Update", table: singleTable({ from: ast.table }, ctx), set: setList(ast.set, ctx),
    ...(ast.where ? { where: convertExpr(ast.where, ctx) } : {}),
    orderBy: convertOrderBy(ast.orderby, ctx), ...(limit ? { limit } : {}),
  };
}

function convertDelete(ast: N, ctx: ConvertCtx): Statement {
  const limit = convertLimit(ast.limit, ctx);
  return {
    kind: "Delete", table: singleTable(ast, ctx), ...deleteTargets(ast),
    ...(ast.where ? { where: convertExpr(ast.where, ctx) } : {}),
    orderBy: convertOrderBy(ast.orderby, ctx), ...(limit ? { limit } : {}),
  };
}

/** `delete t1, t2 from ...`: node-sql-parser lists the targets in `table` (without `addition`) beside `from`. */
function deleteTargets(ast: N): { targets?: TableName[] } {
  const targets = ((ast.table ?? []) as N[]).filter((t: N) => !t.addition);
  if (!ast.from || targets.length === 0) return {};
  return { targets: targets.map((t: N) => (t.db ? { name: String(t.table), qualifier: String(t.db) } : { name: String(t.table) })) };
}

function convertSet(ast: N, ctx: ConvertCtx): SetStatement {
  const keyword = String(ast.keyword ?? "").toLowerCase();
  const exprs = (ast.expr as N[]).map((a: N) => {
    let variable = convertExpr(a.left, ctx) as Expr;
    if (variable.kind === "Column") variable = { kind: "Variable", scope: "session", name: variable.name };
    if (variable.kind !== "Variable") throw new Error("bad SET target");
    const v: Variable = keyword === "global" && !variable.explicit ? { ...variable, scope: "global" } : variable;
    return { variable: v, expr: convertExpr(a.right, ctx) };
  });
  return { kind: "Set", exprs };
}
