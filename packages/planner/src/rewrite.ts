import type { Expr, Select, SelectStatement, TableExpr } from "@vt/sqlparser";

/**
 * Rebuilds `e` top-down: where `f` returns an expression it replaces the node (children are not visited). Nodes whose
 * children all come back unchanged are returned as they are (no copy), so a pure visit allocates nothing.
 * (No closures here: every named closure costs a `__name` call under tsx's keepNames.)
 */
export function mapExpr(e: Expr, f: (e: Expr) => Expr | undefined): Expr {
  const r = f(e);
  if (r) return r;
  switch (e.kind) {
    case "Binary": {
      const left = mapExpr(e.left, f);
      const right = mapExpr(e.right, f);
      return left === e.left && right === e.right ? e : { ...e, left, right };
    }
    case "Unary": {
      const expr = mapExpr(e.expr, f);
      return expr === e.expr ? e : { ...e, expr };
    }
    case "Tuple": {
      const exprs = mapList(e.exprs, f);
      return exprs === e.exprs ? e : { ...e, exprs };
    }
    case "Between": {
      const expr = mapExpr(e.expr, f);
      const low = mapExpr(e.low, f);
      const high = mapExpr(e.high, f);
      return expr === e.expr && low === e.low && high === e.high ? e : { ...e, expr, low, high };
    }
    case "FuncCall": {
      const args = mapList(e.args, f);
      return args === e.args ? e : { ...e, args };
    }
    case "WindowFunc": {
      const func = mapExpr(e.func, f);
      const partitionBy = mapList(e.over.partitionBy, f);
      let orderBy = e.over.orderBy;
      for (let i = 0; i < orderBy.length; i++) {
        const o = orderBy[i]!;
        const expr = mapExpr(o.expr, f);
        if (expr === o.expr) continue;
        if (orderBy === e.over.orderBy) orderBy = [...orderBy];
        (orderBy as { expr: Expr; desc: boolean }[])[i] = { expr, desc: o.desc };
      }
      if (func === e.func && partitionBy === e.over.partitionBy && orderBy === e.over.orderBy) return e;
      return { ...e, func: func.kind === "FuncCall" ? func : e.func, over: { ...e.over, partitionBy, orderBy } };
    }
    case "Case": {
      const expr = e.expr ? mapExpr(e.expr, f) : undefined;
      let changed = expr !== e.expr;
      const whens = e.whens.map((w) => {
        const cond = mapExpr(w.cond, f);
        const result = mapExpr(w.result, f);
        if (cond === w.cond && result === w.result) return w;
        changed = true;
        return { cond, result };
      });
      const elseExpr = e.else ? mapExpr(e.else, f) : undefined;
      if (!changed && elseExpr === e.else) return e;
      return { ...e, ...(expr ? { expr } : {}), whens, ...(elseExpr ? { else: elseExpr } : {}) };
    }
    default: return e;
  }
}

/** mapExpr over a list; the same array when no element changed. */
function mapList(list: readonly Expr[], f: (e: Expr) => Expr | undefined): readonly Expr[] {
  let out: Expr[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    const y = mapExpr(x, f);
    if (y !== x && out === undefined) out = list.slice(0, i);
    if (out !== undefined) out.push(y);
  }
  return out ?? list;
}

/** Removes keyspace qualifiers (`ks.t` → `t`) from FROM items: a shard's database is the keyspace's own. */
export function stripTableQualifiers(t: TableExpr, keyspaces: ReadonlySet<string>): TableExpr {
  switch (t.kind) {
    case "AliasedTable":
      if (t.table.qualifier === undefined || !keyspaces.has(t.table.qualifier)) return t;
      return { ...t, table: { name: t.table.name } };
    case "DerivedTable": return { ...t, select: stripSelect(t.select, keyspaces) };
    case "JoinTable": return { ...t, left: stripTableQualifiers(t.left, keyspaces), right: stripTableQualifiers(t.right, keyspaces) };
  }
}

/** stripTableQualifiers over a whole SELECT/UNION (FROM lists and subqueries in WHERE). */
export function stripSelect(s: SelectStatement, keyspaces: ReadonlySet<string>): SelectStatement {
  if (s.kind === "Union") return { ...s, left: stripSelect(s.left, keyspaces), right: stripSelect(s.right, keyspaces) };
  return {
    ...s, from: s.from.map((t) => stripTableQualifiers(t, keyspaces)),
    ...(s.where ? { where: mapExpr(s.where, (x) => stripSubquery(x, keyspaces)) } : {}),
  } satisfies Select;
}

function stripSubquery(x: Expr, keyspaces: ReadonlySet<string>): Expr | undefined {
  if (x.kind === "Subquery" || x.kind === "Exists") return { ...x, select: stripSelect(x.select, keyspaces) };
  return undefined;
}

/** Every base table (with its alias) in a FROM list, including inside joins; derived tables are reported separately. */
export function collectTables(from: readonly TableExpr[]): { tables: { name: import("@vt/sqlparser").TableName; alias?: string }[]; derived: boolean } {
  const tables: { name: import("@vt/sqlparser").TableName; alias?: string }[] = [];
  let derived = false;
  for (const t of from) derived = collectInto(t, tables) || derived;
  return { tables, derived };
}

/** Adds `t`'s base tables to `out`; true when it holds a derived table. */
function collectInto(t: TableExpr, out: { name: import("@vt/sqlparser").TableName; alias?: string }[]): boolean {
  if (t.kind === "AliasedTable") {
    if (!t.recursiveRef) out.push(t.as ? { name: t.table, alias: t.as } : { name: t.table });
    return false;
  }
  if (t.kind === "JoinTable") {
    const l = collectInto(t.left, out);
    return collectInto(t.right, out) || l;
  }
  return true;
}

/**
 * Join ON conditions of a FROM list (to merge routes joined on their vindex columns); `a JOIN b USING (c)` between
 * two tables counts as `a.c = b.c`.
 */
export function joinConditions(from: readonly TableExpr[]): Expr[] {
  const out: Expr[] = [];
  for (const t of from) joinConditionsInto(t, out);
  return out;
}

function joinConditionsInto(t: TableExpr, out: Expr[]): void {
  if (t.kind !== "JoinTable") return;
  if (t.on) out.push(t.on);
  const l = tableExprName(t.left);
  const r = tableExprName(t.right);
  if (t.using && l !== undefined && r !== undefined) {
    for (const c of t.using) out.push({ kind: "Binary", op: "=", left: { kind: "Column", name: c, table: l }, right: { kind: "Column", name: c, table: r } });
  }
  joinConditionsInto(t.left, out);
  joinConditionsInto(t.right, out);
}

/** The name columns use for a single FROM item (alias or table name); undefined for a join. */
const tableExprName = (t: TableExpr): string | undefined =>
  (t.kind === "AliasedTable" ? t.as ?? t.table.name : t.kind === "DerivedTable" ? t.as : undefined);

/** The `::__vals` argument that replaces an IN list in a shard query. */
export const VALS_ARG: Expr = { kind: "Arg", name: "__vals", list: true };

/** `1 != 1`, the field query's WHERE. */
export const FALSE_WHERE: Expr = {
  kind: "Binary", op: "!=", left: { kind: "Literal", type: "int", value: "1" }, right: { kind: "Literal", type: "int", value: "1" },
};
