import type { PlanNode, Route, VindexLookup } from "@vt/plan";
import { parse } from "@vt/sqlparser";
import type { PlanningContext } from "./planning-context.js";
import { planSelect } from "./select-planner.js";

/** Vindex types whose lookup query takes the ids as they are (lookup_unicodeloosemd5_hash hashes them first). */
const LOOKUP_TYPES = new Set(["lookup", "lookup_unique", "lookup_hash", "lookup_hash_unique", "consistent_lookup", "consistent_lookup_unique"]);
const CHILD_KEYS = ["input", "left", "right", "subquery", "outer"] as const;
const ROUTED = new Set(["Equal", "EqualUnique", "IN"]);

interface QueriesLookup { readonly typeName: string; readonly writeOnly?: boolean; query(): { sql: string; arg: string } }
const queriesLookup = (v: unknown): v is QueriesLookup => typeof (v as Partial<QueriesLookup>).query === "function";

/**
 * Rewrites every Route that a lookup vindex routes (Equal, EqualUnique, IN) into a VindexLookup: the lookup-table
 * query is planned once here (instead of at each execution) and the route goes to the shards it finds. Routes whose
 * lookup query cannot be planned are left as they are (the engine then maps through the vindex at run time).
 */
export function withVindexLookups(ctx: PlanningContext, node: PlanNode): PlanNode {
  if (node.kind === "Route") return lookupRoute(ctx, node) ?? node;
  let out: PlanNode = node;
  for (const k of CHILD_KEYS) {
    const child = (node as unknown as Record<string, unknown>)[k];
    if (child && typeof child === "object" && typeof (child as { kind?: unknown }).kind === "string") {
      out = { ...out, [k]: withVindexLookups(ctx, child as PlanNode) } as PlanNode;
    }
  }
  if (node.kind === "Concatenate") out = { ...node, sources: node.sources.map((s) => withVindexLookups(ctx, s)) };
  return out;
}

function lookupRoute(ctx: PlanningContext, route: Route): VindexLookup | undefined {
  if (!ROUTED.has(route.opcode) || !route.vindex || !route.values) return undefined;
  const vindex = ctx.vschema.keyspaces.get(route.keyspace.name)?.vindexes.get(route.vindex);
  if (!vindex || !queriesLookup(vindex) || !LOOKUP_TYPES.has(vindex.typeName) || vindex.writeOnly) return undefined;
  const q = vindex.query();
  let lookup: PlanNode;
  try {
    const stmt = parse(q.sql);
    if (stmt.kind !== "Select") return undefined;
    lookup = planSelect({ ...ctx, opts: { ...ctx.opts, keyspace: route.keyspace.name } }, stmt);
  } catch {
    return undefined;
  }
  return {
    kind: "VindexLookup", opcode: route.opcode as VindexLookup["opcode"], keyspace: route.keyspace, vindex: route.vindex,
    values: route.values, lookup, arg: q.arg, sendTo: route,
  };
}
