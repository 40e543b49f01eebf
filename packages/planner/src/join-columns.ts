import { SqlError, VT } from "@vt/errors";
import type { AliasedExpr, AliasedTable, Column, Expr, OrderBy, Select, SelectExpr, TableExpr } from "@vt/sqlparser";
import type { PlanningContext } from "./planning-context.js";
import { mapExpr } from "./rewrite.js";
import { resolveTable } from "./table-resolver.js";

/** One FROM item of a two-table join: the name columns use for it, and its columns when the VSchema knows them. */
interface JoinSide {
  readonly table: AliasedTable;
  readonly name: string;
  /** Column names in table order (authoritative VSchema columns, possibly from schema tracking); undefined: unknown. */
  readonly columns: readonly string[] | undefined;
}

/** Where in a statement a column appears, as MariaDB 10.11 names the place in errors 1052/1054. */
type Place = "SELECT" | "WHERE" | "ON" | "ORDER BY" | "GROUP BY" | "HAVING";

const ambiguous = (name: string, place: Place): SqlError =>
  new SqlError(1052, "23000", `Column '${name}' in ${place} is ambiguous`, "INVALID_ARGUMENT");
const unknown = (name: string, place: Place): SqlError =>
  new SqlError(1054, "42S22", `Unknown column '${name}' in '${place}'`, "NOT_FOUND");
const lower = (s: string): string => s.toLowerCase();

/**
 * Uses column knowledge (VSchema columns marked authoritative; schema tracking fills them) to put a cross-shard
 * join of two tables into the shape the join planner needs: NATURAL JOIN becomes USING over the common columns,
 * USING becomes ON equalities (an unqualified USING column means the left table's, or the right's for RIGHT JOIN),
 * RIGHT JOIN becomes LEFT JOIN with the sides swapped, `*` and `t.*` expand to qualified columns in MariaDB's order
 * (USING columns first), and unqualified columns get their table's name. Statements it cannot help (derived tables,
 * more than two tables, unknown columns) come back unchanged, and the join planner reports what it cannot do.
 * Throws 1052/23000 for a column in both tables, 1054/42S22 for a column in neither (when both are known), and
 * VT12001 for NATURAL JOIN over tables whose columns are unknown.
 */
export function resolveJoinColumns(ctx: PlanningContext, sel: Select): Select {
  const shape = twoTables(sel.from);
  if (!shape) return sel;
  const sides = shape.tables.map((t): JoinSide => {
    const vt = resolveTable(ctx, t.table);
    return { table: t, name: lower(t.as ?? t.table.name), columns: vt.columnListAuthoritative ? vt.columns.map((c) => c.name) : undefined };
  }) as [JoinSide, JoinSide];
  let [left, right] = sides;
  let join = shape.join;
  let using = shape.using;
  if (join.startsWith("natural")) {
    if (!left.columns || !right.columns) throw VT.VT12001("NATURAL JOIN across shards needs both tables' columns (VSchema columns or schema tracking)");
    const rightNames = new Set(right.columns.map(lower));
    using = left.columns.filter((c) => rightNames.has(lower(c)));
    join = join === "natural join" ? "join" : join.slice("natural ".length);
  }
  const usingSet = new Set((using ?? []).map(lower));
  const coalesced = join === "right join" ? right : left;
  const has = (s: JoinSide, name: string): boolean | undefined => (s.columns ? s.columns.some((c) => lower(c) === lower(name)) : undefined);
  const qualify = (place: Place, aliases: ReadonlySet<string>) => (e: Expr): Expr => mapExpr(e, (x) => {
    if (x.kind !== "Column") return undefined;
    if (x.table !== undefined) {
      const s = [left, right].find((t) => t.name === lower(x.table!));
      if (s && has(s, x.name) === false) throw unknown(`${x.table}.${x.name}`, place);
      return x;
    }
    if (usingSet.has(lower(x.name))) return col(coalesced, x);
    if (aliases.has(lower(x.name))) return x;
    const inLeft = has(left, x.name);
    const inRight = has(right, x.name);
    if (inLeft && inRight) throw ambiguous(x.name, place);
    if (inLeft && inRight === false) return col(left, x);
    if (inRight && inLeft === false) return col(right, x);
    if (inLeft === false && inRight === false) throw unknown(x.name, place);
    return x;
  });
  const noAliases = new Set<string>();
  const aliases = new Set(sel.columns.flatMap((c) => (c.kind === "AliasedExpr" && c.as ? [lower(c.as)] : [])));
  const columns = sel.columns.flatMap((c): SelectExpr[] => (c.kind === "Star"
    ? expandStar(c.table, left, right, usingSet, coalesced) ?? [c]
    : [{ ...c, expr: qualify("SELECT", noAliases)(c.expr) }]));
  const on = [
    ...(shape.on ? [qualify("ON", noAliases)(shape.on)] : []),
    ...(using ?? []).map((u): Expr => ({ kind: "Binary", op: "=", left: col(left, { kind: "Column", name: u }), right: col(right, { kind: "Column", name: u }) })),
  ];
  if (join === "right join") [left, right] = [right, left];
  const onExpr = on.reduce<Expr | undefined>((a, b) => (a ? { kind: "Binary", op: "and", left: a, right: b } : b), undefined);
  const from: readonly TableExpr[] = shape.comma ? sel.from
    : [{ kind: "JoinTable", join: join === "right join" ? "left join" : join, left: left.table, right: right.table, ...(onExpr ? { on: onExpr } : {}) }];
  const order = (o: OrderBy): OrderBy => ({ ...o, expr: qualify("ORDER BY", aliases)(o.expr) });
  return {
    ...sel, columns, from,
    ...(sel.where ? { where: qualify("WHERE", noAliases)(sel.where) } : {}),
    groupBy: sel.groupBy.map(qualify("GROUP BY", aliases)),
    ...(sel.having ? { having: qualify("HAVING", aliases)(sel.having) } : {}),
    orderBy: sel.orderBy.map(order),
  };
}

const col = (s: JoinSide, c: Column): Column => ({ kind: "Column", name: c.name, table: s.table.as ?? s.table.table.name });

/** `*` / `t.*` as qualified columns (MariaDB's order: USING columns, then the left's others, then the right's). */
function expandStar(table: string | undefined, left: JoinSide, right: JoinSide, using: ReadonlySet<string>, coalesced: JoinSide): AliasedExpr[] | undefined {
  const item = (s: JoinSide, name: string): AliasedExpr => ({ kind: "AliasedExpr", expr: col(s, { kind: "Column", name }) });
  if (table !== undefined) {
    const s = [left, right].find((t) => t.name === lower(table));
    return s?.columns?.map((c) => item(s, c));
  }
  if (!left.columns || !right.columns) return undefined;
  const usingCols = coalesced.columns!.filter((c) => using.has(lower(c)));
  const rest = (s: JoinSide) => s.columns!.filter((c) => !using.has(lower(c))).map((c) => item(s, c));
  return [...usingCols.map((c) => item(coalesced, c)), ...rest(left), ...rest(right)];
}

/** The two tables of `a, b` or `a <join> b` (ON / USING / NATURAL), or undefined for any other FROM. */
function twoTables(from: readonly TableExpr[]): { tables: [AliasedTable, AliasedTable]; join: string; on?: Expr; using?: readonly string[]; comma: boolean } | undefined {
  if (from.length === 2) {
    const [a, b] = from;
    return a?.kind === "AliasedTable" && b?.kind === "AliasedTable" ? { tables: [a, b], join: "join", comma: true } : undefined;
  }
  const j = from[0];
  if (from.length !== 1 || j?.kind !== "JoinTable" || j.left.kind !== "AliasedTable" || j.right.kind !== "AliasedTable") return undefined;
  const kinds = ["join", "left join", "right join", "cross join", "straight_join", "natural join", "natural left join", "natural right join"];
  if (!kinds.includes(j.join)) return undefined;
  return { tables: [j.left, j.right], join: j.join === "cross join" || j.join === "straight_join" ? "join" : j.join, comma: false,
    ...(j.on ? { on: j.on } : {}), ...(j.using ? { using: j.using } : {}) };
}
