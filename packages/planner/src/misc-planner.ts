import { VT } from "@vt/errors";
import { translateExpr } from "@vt/evalengine";
import type { PlanNode, Route, Send } from "@vt/plan";
import { format, formatExpr, type DDL, type NextVal, type SetStatement, type Statement } from "@vt/sqlparser";
import type { PlanningContext } from "./planning-context.js";
import { resolveKeyspace, resolveTable } from "./table-resolver.js";

/** SET: each assignment becomes a SetOp that vtgate applies through SessionState. */
export function planSet(stmt: SetStatement): PlanNode {
  return {
    kind: "Set",
    ops: stmt.exprs.map((x) => {
      const value = translateExpr(x.expr);
      return { scope: x.variable.scope, name: x.variable.name, ...(value ? { value } : {}), expr: formatExpr(x.expr) };
    }),
  };
}

/** DDL goes to every shard of the keyspace of its (first) table. */
export function planDDL(ctx: PlanningContext, stmt: DDL): Send {
  const ks = resolveKeyspace(ctx, stmt.tables[0]?.qualifier);
  return {
    kind: "Send", keyspace: { name: ks.keyspace.name, sharded: ks.keyspace.sharded }, targetDestination: { kind: "AllShards" },
    query: stmt.text, isDML: false, singleShardOnly: false,
  };
}

/** SHOW (non-Vitess) and other passthrough statements go to one shard of the session keyspace. */
export function planPassthrough(ctx: PlanningContext, text: string): Send {
  const ks = anyKeyspace(ctx);
  return {
    kind: "Send", keyspace: { name: ks.keyspace.name, sharded: ks.keyspace.sharded }, targetDestination: { kind: "AnyShard" },
    query: text, isDML: false, singleShardOnly: true,
  };
}

/** The session keyspace, else the first keyspace by name (for statements any shard can answer). */
function anyKeyspace(ctx: PlanningContext) {
  try {
    return resolveKeyspace(ctx);
  } catch (e) {
    const first = [...ctx.vschema.keyspaces.values()].sort((a, b) => a.keyspace.name.localeCompare(b.keyspace.name))[0];
    if (!first || ctx.opts.keyspace) throw e;
    return first;
  }
}

/** `select next N values from seq`: a Next route to the sequence's (unsharded) keyspace. */
export function planNext(ctx: PlanningContext, stmt: NextVal): Route {
  const t = resolveTable(ctx, stmt.table);
  if (t.type !== "sequence") throw VT.VT12001(`NEXT used on a non-sequence table \`${t.name}\``);
  const count = translateExpr(stmt.count);
  const query = format({ ...stmt, table: { name: t.name } });
  return {
    kind: "Route", opcode: "Next", keyspace: { name: t.keyspace.name, sharded: t.keyspace.sharded }, tableName: t.name,
    query, fieldQuery: query, ...(count ? { values: [count] } : {}),
  };
}

/** With an explicit shard target every statement passes through unchanged (ByDestination / Send). */
export function planTargeted(ctx: PlanningContext, stmt: Statement, text: string): PlanNode {
  const dest = ctx.opts.destination!;
  const ks = resolveKeyspace(ctx);
  const keyspace = { name: ks.keyspace.name, sharded: ks.keyspace.sharded };
  if (stmt.kind === "Select" || stmt.kind === "Union") {
    return { kind: "Route", opcode: "ByDestination", keyspace, targetDestination: dest, tableName: "", query: text, fieldQuery: text };
  }
  const isDML = stmt.kind === "Insert" || stmt.kind === "Update" || stmt.kind === "Delete";
  return { kind: "Send", keyspace, targetDestination: dest, query: text, isDML, singleShardOnly: false };
}
