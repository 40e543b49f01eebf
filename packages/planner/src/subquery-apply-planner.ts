import { translateExpr, type CompareOp, type EvalExpr } from "@vt/evalengine";
import type { PlanNode, SubqueryApply } from "@vt/plan";
import { formatExpr, isAggregate, type AliasedExpr, type Column, type Expr, type Select, type SelectStatement } from "@vt/sqlparser";
import { bindOuterColumns, neededColumns, needsHorizon } from "./derived-planner.js";
import type { PlanningContext } from "./planning-context.js";
import { mapExpr } from "./rewrite.js";
import { conjuncts } from "./routing.js";
import { definedNames, planSelect, subqueriesOf } from "./select-planner.js";
import { relColumn, planOverRelation, type RelColumn } from "./vtgate-horizon.js";

const COMPARE: Record<string, CompareOp> = { "=": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const PREFIX = "__sq_apply";

/** One subquery taken out of an expression: what it computes and the column that stands for it. */
interface Applied {
  readonly opcode: SubqueryApply["opcode"];
  readonly op?: CompareOp;
  readonly operand?: Expr;
  readonly select: Select;
  readonly name: string;
}

/**
 * Subqueries anywhere in the select list, WHERE and ORDER BY that no single route answers (correlated to tables on
 * other shards, nested in expressions, `[NOT] IN`, `op ANY/ALL`, `[NOT] EXISTS`): the outer rows are read with the
 * columns the statement and the subqueries need (WHERE conjuncts without subqueries pushed down), a SubqueryApply
 * per subquery appends its value for each outer row (the correlated columns bound as `:<table>_<column>`), and
 * vtgate evaluates the rest of the statement over those rows (filter, grouping, projection, order, limit).
 * Undefined for shapes it does not cover (HAVING subqueries, row-valued operands, UNION subqueries, '*', locks).
 */
export function planSubqueryApply(ctx: PlanningContext, stmt: Select): PlanNode | undefined {
  if (stmt.lock || subqueriesOf(stmt.having).length > 0) return undefined;
  const applied: Applied[] = [];
  let ok = true;
  const take = (a: Omit<Applied, "name" | "select">, sel: SelectStatement): Expr => {
    if (sel.kind !== "Select" || (a.operand && (a.operand.kind === "Tuple" || subqueriesOf(a.operand).length > 0))) ok = false;
    const name = `${PREFIX}${applied.length + 1}`;
    if (sel.kind === "Select") applied.push({ ...a, select: sel, name });
    return { kind: "Column", name };
  };
  const rewrite = (e: Expr): Expr | undefined => {
    if (e.kind === "Binary" && (e.op === "in" || e.op === "not in") && e.right.kind === "Tuple" && e.right.exprs.length === 1 && e.right.exprs[0]!.kind === "Subquery") {
      const not = e.op === "not in";
      return take({ opcode: not ? "All" : "Any", op: not ? "!=" : "=", operand: e.left }, e.right.exprs[0].select);
    }
    const quant = e.kind === "Binary" && e.right.kind === "FuncCall" && ["any", "some", "all"].includes(e.right.name) ? e.right : undefined;
    if (e.kind === "Binary" && quant) {
      const op = COMPARE[e.op];
      const sq = quant.args[0];
      if (!op || quant.args.length !== 1 || sq?.kind !== "Subquery") { ok = false; return e; }
      return take({ opcode: quant.name === "all" ? "All" : "Any", op, operand: e.left }, sq.select);
    }
    if (e.kind === "Exists") {
      const col = take({ opcode: "Exists" }, e.select);
      return e.not ? { kind: "Unary", op: "not", expr: col } : col;
    }
    if (e.kind === "Subquery") return take({ opcode: "Value" }, e.select);
    return undefined;
  };
  const columns = stmt.columns.map((c) => (c.kind === "AliasedExpr" ? { ...c, expr: mapExpr(c.expr, rewrite) } : c));
  const fromItems = applied.length;
  const pushed: Expr[] = [];
  const filters: Expr[] = [];
  for (const c of conjuncts(stmt.where)) {
    if (subqueriesOf(c).length === 0) pushed.push(c);
    else filters.push(mapExpr(c, rewrite));
  }
  const fromWhere = applied.length;
  const orderBy = stmt.orderBy.map((o) => ({ ...o, expr: mapExpr(o.expr, rewrite) }));
  if (!ok || applied.length === 0) return undefined;
  const filter = and(filters);
  const rewritten: Select = { ...stmt, columns, orderBy };
  delete (rewritten as { where?: unknown }).where;
  if (filter) (rewritten as { where?: Expr }).where = filter;
  // The outer columns: those the rewritten statement and the operands use, then the subqueries' correlated ones.
  const probe: Select = { ...rewritten, columns: [...rewritten.columns, ...applied.flatMap((a) => (a.operand ? [{ kind: "AliasedExpr", expr: a.operand } as AliasedExpr] : []))] };
  const needed = neededColumns(probe);
  if (!needed) return undefined;
  const cols: Column[] = needed.filter((c) => !c.name.startsWith(PREFIX) || c.table !== undefined);
  const outerNames = definedNames(stmt);
  const innerCols: Expr[] = [...cols]; // the correlated columns are appended unless already there
  const bound = applied.map((a) => ({ a, ...bindOuterColumns(a.select, outerNames, 0, innerCols) }));
  // Over groups, a select-list/ORDER BY subquery sees one value per group: it may only correlate on GROUP BY keys
  // (its value is then the same for every row of the group; anything else, e.g. an outer aggregate, is not per row).
  if (grouped(stmt)) {
    const keys = new Set(stmt.groupBy.map((g) => formatExpr(groupKey(stmt, g))));
    const perGroup = bound.filter((_, i) => i < fromItems || i >= fromWhere);
    if (perGroup.some((b) => Object.values(b.vars).some((at) => !keys.has(formatExpr(innerCols[at]!))))) return undefined;
  }
  const where = and(pushed);
  const inner: Select = {
    kind: "Select", distinct: false, from: stmt.from, groupBy: [], orderBy: [], ...(where ? { where } : {}),
    columns: innerCols.length > 0 ? innerCols.map((expr): AliasedExpr => ({ kind: "AliasedExpr", expr })) : [{ kind: "AliasedExpr", expr: { kind: "Literal", type: "int", value: "1" } }],
  };
  const relCols: RelColumn[] = innerCols.map((c) => (c.kind === "Column" ? { name: c.name, ...(c.table ? { table: c.table } : {}) } : { name: formatExpr(c) }));
  if (innerCols.length === 0) relCols.push({ name: "1" });
  let node = planSelect(ctx, inner);
  for (const { a, select, vars } of bound) {
    let operand: EvalExpr | undefined;
    if (a.operand) {
      operand = translateExpr(a.operand, (e) => relColumn(relCols, e));
      if (!operand) return undefined;
    }
    node = {
      kind: "SubqueryApply", opcode: a.opcode, ...(a.op ? { op: a.op } : {}), ...(operand ? { operand } : {}), vars, name: a.name,
      outer: node, subquery: planSelect(ctx, a.opcode === "Exists" ? existsProbe(select) : select),
    };
    relCols.push({ name: a.name });
  }
  return planOverRelation({ node, columns: relCols }, rewritten);
}

/** True when the SELECT groups rows (GROUP BY or an aggregate outside subqueries). */
function grouped(s: Select): boolean {
  if (s.groupBy.length > 0) return true;
  let found = false;
  for (const c of s.columns) {
    if (c.kind === "AliasedExpr") mapExpr(c.expr, (x) => (isAggregate(x) ? ((found = true), x) : x.kind === "Subquery" || x.kind === "Exists" ? x : undefined));
  }
  return found;
}

/** A GROUP BY item: a position or alias names a select item's expression. */
function groupKey(s: Select, g: Expr): Expr {
  const item = g.kind === "Literal" && g.type === "int" ? s.columns[Number(g.value) - 1]
    : g.kind === "Column" && g.table === undefined ? s.columns.find((c) => c.kind === "AliasedExpr" && !c.implicitAlias && c.as?.toLowerCase() === g.name.toLowerCase()) : undefined;
  return item?.kind === "AliasedExpr" ? item.expr : g;
}

/** EXISTS needs one row at most: `select 1 ... limit 1` (grouped subqueries keep their shape). */
function existsProbe(s: Select): Select {
  if (needsHorizon(s) || s.limit) return s;
  return { ...s, columns: [{ kind: "AliasedExpr", expr: { kind: "Literal", type: "int", value: "1" } }], orderBy: [], limit: { count: { kind: "Literal", type: "int", value: "1" } } };
}

const and = (es: readonly Expr[]): Expr | undefined =>
  es.reduce<Expr | undefined>((a, b) => (a ? { kind: "Binary", op: "and", left: a, right: b } : b), undefined);
