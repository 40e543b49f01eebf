import type { Expr, TableExpr } from "@vt/sqlparser";
import type { VSchemaTable } from "@vt/vindexes";
import { joinConditions } from "./rewrite.js";
import { betterRoute, chooseRouting, conjuncts, type RouteChoice } from "./routing.js";

/** A DML target table with the names it is referenced by (lower-case). */
export interface DmlTable { readonly table: VSchemaTable; readonly names: ReadonlySet<string> }

/**
 * The route of an UPDATE/DELETE over one or more tables of a sharded keyspace: the cheapest choice over the
 * non-reference tables, provided all of them are joined to each other on their primary vindex columns (so every
 * matching row combination lives on one shard). Undefined when they are not.
 */
export function routeForDmlTables(tables: readonly DmlTable[], where: Expr | undefined, from?: TableExpr): RouteChoice | undefined {
  const sharded = tables.filter((t) => t.table.type !== "reference");
  if (sharded.length === 0) return { opcode: "Scatter", cost: Infinity };
  if (sharded.length > 1 && !joinedOnPrimaryVindex(sharded, [...(from ? joinConditions([from]) : []), ...conjuncts(where)])) return undefined;
  let best: RouteChoice | undefined;
  for (const t of sharded) {
    const c = chooseRouting(t.table, t.names, where);
    if (!best || betterRoute(c, best)) best = c;
  }
  return best;
}

function joinedOnPrimaryVindex(tables: readonly DmlTable[], conds: readonly Expr[]): boolean {
  const parent = tables.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = (e: Expr): number => {
    if (e.kind !== "Column" || e.table === undefined) return -1;
    const q = e.table.toLowerCase();
    return tables.findIndex((t) => {
      const pv = t.table.columnVindexes[0];
      return pv !== undefined && pv.columns.length === 1 && (t.names.has(q) || t.table.name.toLowerCase() === q) && pv.columns[0]!.toLowerCase() === e.name.toLowerCase();
    });
  };
  for (const c of conds.flatMap((x) => conjuncts(x))) {
    if (c.kind !== "Binary" || c.op !== "=") continue;
    const a = owner(c.left);
    const b = owner(c.right);
    if (a < 0 || b < 0 || a === b) continue;
    if (tables[a]!.table.columnVindexes[0]!.name !== tables[b]!.table.columnVindexes[0]!.name) continue;
    parent[find(a)] = find(b);
  }
  return tables.every((_, i) => find(i) === find(0));
}
