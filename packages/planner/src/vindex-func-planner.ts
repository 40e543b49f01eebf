import { VT } from "@vt/errors";
import { translateExpr } from "@vt/evalengine";
import { VINDEX_FUNC_COLUMNS, type VindexFunc } from "@vt/plan";
import { formatExpr, type SelectStatement } from "@vt/sqlparser";
import type { KeyspaceSchema } from "@vt/vindexes";
import type { PlanningContext } from "./planning-context.js";

/**
 * Plans a SELECT over a vindex used as a table (`select ... from ks.<vindex> where id = v | id in (...)`), when the
 * single FROM table names a vindex and no table of that keyspace. Returns undefined for every other statement.
 * Throws VT12001 for anything but a plain column list and an `id` equality / IN list.
 */
export function planVindexFunc(ctx: PlanningContext, stmt: SelectStatement): VindexFunc | undefined {
  if (stmt.kind !== "Select" || stmt.from.length !== 1) return undefined;
  const t = stmt.from[0]!;
  if (t.kind !== "AliasedTable") return undefined;
  const ks = findKeyspace(ctx, t.table.qualifier);
  if (!ks || ks.tables.has(t.table.name)) return undefined;
  const vindex = ks.vindexes.get(t.table.name);
  if (!vindex) return undefined;
  if (stmt.groupBy.length > 0 || stmt.having || stmt.orderBy.length > 0 || stmt.limit || stmt.distinct) {
    throw VT.VT12001("only simple column selection is supported for a vindex function");
  }
  const cols: { col: number; name: string }[] = [];
  for (const c of stmt.columns) {
    if (c.kind === "Star") {
      VINDEX_FUNC_COLUMNS.forEach((name, col) => cols.push({ col, name }));
      continue;
    }
    const e = c.expr;
    const col = e.kind === "Column" ? VINDEX_FUNC_COLUMNS.indexOf(e.name.toLowerCase() as (typeof VINDEX_FUNC_COLUMNS)[number]) : -1;
    if (col < 0) throw VT.VT12001(`unexpected column for a vindex function: ${formatExpr(e)}`);
    cols.push({ col, name: c.as ?? (e as { name: string }).name });
  }
  const w = stmt.where;
  const bad = () => VT.VT12001("WHERE clause for vindex function must be of the form id = <val> or id in(<val>,...)");
  if (!w || w.kind !== "Binary" || (w.op !== "=" && w.op !== "in") || w.left.kind !== "Column" || w.left.name.toLowerCase() !== "id") throw bad();
  const value = translateExpr(w.right);
  if (!value) throw bad();
  if (w.op === "in" && value.kind !== "Tuple" && !(value.kind === "BindVar" && value.list)) throw bad();
  return { kind: "VindexFunc", opcode: "VindexMap", keyspace: { name: ks.keyspace.name, sharded: ks.keyspace.sharded }, vindex: vindex.name, value, cols };
}

function findKeyspace(ctx: PlanningContext, qualifier: string | undefined): KeyspaceSchema | undefined {
  const name = qualifier ?? ctx.opts.keyspace;
  if (name) return ctx.vschema.keyspaces.get(name);
  return ctx.vschema.keyspaces.size === 1 ? [...ctx.vschema.keyspaces.values()][0] : undefined;
}
