import type { Expr, Select, SelectStatement, TableExpr } from "@vt/sqlparser";
import { conjuncts } from "./routing.js";
import { mapExpr } from "./rewrite.js";

const INNER = new Set(["join", "cross join", "straight_join"]);

const hasSubquery = (e: Expr): boolean => {
  let found = false;
  mapExpr(e, (x) => (x.kind === "Subquery" || x.kind === "Exists" ? ((found = true), x) : undefined));
  return found;
};

/**
 * `a JOIN b ON cond AND x IN (SELECT ...)`: the ON conjuncts of inner joins that hold subqueries move to WHERE (the
 * same rows for an inner join), where the subquery planners see them. Returns `stmt` itself when nothing moves.
 */
export function hoistOnSubqueries(stmt: Select): Select {
  const moved: Expr[] = [];
  const walk = (t: TableExpr): TableExpr => {
    if (t.kind !== "JoinTable" || !INNER.has(t.join)) return t;
    const left = walk(t.left);
    const right = walk(t.right);
    if (!t.on || !hasSubquery(t.on)) return left === t.left && right === t.right ? t : { ...t, left, right };
    const keep = conjuncts(t.on).filter((c) => (hasSubquery(c) ? (moved.push(c), false) : true));
    const on = keep.reduce<Expr | undefined>((a, b) => (a ? { kind: "Binary", op: "and", left: a, right: b } : b), undefined);
    const out = { ...t, left, right };
    delete (out as { on?: unknown }).on;
    return on ? { ...out, on } : out;
  };
  const from = stmt.from.map(walk);
  if (moved.length === 0) return stmt;
  const where = [...(stmt.where ? [stmt.where] : []), ...moved].reduce<Expr | undefined>((a, b) => (a ? { kind: "Binary", op: "and", left: a, right: b } : b), undefined);
  return { ...stmt, from, ...(where ? { where } : {}) };
}

/** The subqueries in outer joins' ON conditions (planned only when every table they read is on every shard). */
export function outerJoinOnSubqueries(from: readonly TableExpr[]): SelectStatement[] {
  const out: SelectStatement[] = [];
  const walk = (t: TableExpr): void => {
    if (t.kind !== "JoinTable") return;
    if (t.on) mapExpr(t.on, (x) => (x.kind === "Subquery" || x.kind === "Exists" ? (out.push(x.select), x) : undefined));
    walk(t.left);
    walk(t.right);
  };
  from.forEach(walk);
  return out;
}
