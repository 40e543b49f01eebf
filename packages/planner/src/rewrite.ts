import type { Expr, Select, SelectStatement, TableExpr } from "@vt/sqlparser";

/** Rebuilds `e` top-down: where `f` returns an expression it replaces the node (children are not visited). */
export function mapExpr(e: Expr, f: (e: Expr) => Expr | undefined): Expr {
  const r = f(e);
  if (r) return r;
  const m = (x: Expr): Expr => mapExpr(x, f);
  switch (e.kind) {
    case "Binary": return { ...e, left: m(e.left), right: m(e.right) };
    case "Unary": return { ...e, expr: m(e.expr) };
    case "Tuple": return { ...e, exprs: e.exprs.map(m) };
    case "Between": return { ...e, expr: m(e.expr), low: m(e.low), high: m(e.high) };
    case "FuncCall": return { ...e, args: e.args.map(m) };
    case "WindowFunc": {
      const func = m(e.func);
      return {
        ...e, func: func.kind === "FuncCall" ? func : e.func,
        over: { ...e.over, partitionBy: e.over.partitionBy.map(m), orderBy: e.over.orderBy.map((o) => ({ ...o, expr: m(o.expr) })) },
      };
    }
    case "Case": return {
      ...e, ...(e.expr ? { expr: m(e.expr) } : {}), whens: e.whens.map((w) => ({ cond: m(w.cond), result: m(w.result) })),
      ...(e.else ? { else: m(e.else) } : {}),
    };
    default: return e;
  }
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
  const sub = (e: Expr): Expr => mapExpr(e, (x) =>
    x.kind === "Subquery" ? { ...x, select: stripSelect(x.select, keyspaces) } : x.kind === "Exists" ? { ...x, select: stripSelect(x.select, keyspaces) } : undefined);
  return {
    ...s, from: s.from.map((t) => stripTableQualifiers(t, keyspaces)),
    ...(s.where ? { where: sub(s.where) } : {}),
  } satisfies Select;
}

/** Every base table (with its alias) in a FROM list, including inside joins; derived tables are reported separately. */
export function collectTables(from: readonly TableExpr[]): { tables: { name: import("@vt/sqlparser").TableName; alias?: string }[]; derived: boolean } {
  const tables: { name: import("@vt/sqlparser").TableName; alias?: string }[] = [];
  let derived = false;
  const walk = (t: TableExpr): void => {
    if (t.kind === "AliasedTable") tables.push({ name: t.table, ...(t.as ? { alias: t.as } : {}) });
    else if (t.kind === "JoinTable") { walk(t.left); walk(t.right); }
    else derived = true;
  };
  from.forEach(walk);
  return { tables, derived };
}

/** Join ON conditions of a FROM list (to merge routes joined on their vindex columns). */
export function joinConditions(from: readonly TableExpr[]): Expr[] {
  const out: Expr[] = [];
  const walk = (t: TableExpr): void => {
    if (t.kind !== "JoinTable") return;
    if (t.on) out.push(t.on);
    walk(t.left);
    walk(t.right);
  };
  from.forEach(walk);
  return out;
}

/** The `::__vals` argument that replaces an IN list in a shard query. */
export const VALS_ARG: Expr = { kind: "Arg", name: "__vals", list: true };

/** `1 != 1`, the field query's WHERE. */
export const FALSE_WHERE: Expr = {
  kind: "Binary", op: "!=", left: { kind: "Literal", type: "int", value: "1" }, right: { kind: "Literal", type: "int", value: "1" },
};
