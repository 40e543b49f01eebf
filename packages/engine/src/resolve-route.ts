import { SqlError, VT } from "@vt/errors";
import { evaluate, evaluateList } from "@vt/evalengine";
import { DestinationAllShards, DestinationAnyShard, DestinationKeyRange, DestinationShards, DestinationNone, parseShardName, type Destination } from "@vt/key";
import type { RoutingParams, TargetDestination } from "@vt/plan";
import { Type, type BindVariable, type Value } from "@vt/sqltypes";
import { isMultiColumn, isSingleColumn, type VindexDestination } from "@vt/vindexes";
import type { BindVars, ResolvedShard, VCursor } from "./vcursor.js";

/** Shards a routed node goes to, with the bind variables for each (IN binds its shard's `__vals`). */
export interface RoutedShards { readonly rss: readonly ResolvedShard[]; readonly bindVars: readonly BindVars[] }

const NO_SHARDS: RoutedShards = Object.freeze({ rss: Object.freeze([]), bindVars: Object.freeze([]) });

/** Converts a plan's target destination to a @vt/key Destination. */
export function targetToDestination(t: TargetDestination): Destination {
  switch (t.kind) {
    case "Shards": return DestinationShards(t.shards);
    case "KeyRange": return DestinationKeyRange(parseShardName(t.range));
    case "AllShards": return DestinationAllShards();
    case "AnyShard": return DestinationAnyShard();
  }
}

/** Maps a vindex destination onto a @vt/key destination (same shapes). */
export const fromVindexDestination = (d: VindexDestination): Destination =>
  d.kind === "None" ? DestinationNone() : (d as Destination);

/**
 * Resolves the shards for Route/Update/Delete routing params.
 * Throws SqlError for unknown keyspaces/vindexes, missing bind variables and vindex mapping errors.
 */
export async function resolveRoute(p: RoutingParams, vc: VCursor, bindVars: BindVars): Promise<RoutedShards> {
  const ks = p.keyspace.name;
  const simple = async (d: Destination): Promise<RoutedShards> => {
    const rss = (await vc.resolver.resolve(ks, vc.tabletType, [d]))[0] ?? [];
    return { rss, bindVars: rss.map(() => bindVars) };
  };
  switch (p.opcode) {
    case "None": return NO_SHARDS;
    case "Unsharded": case "Scatter": return simple(DestinationAllShards());
    case "DBA": {
      // information_schema filtered on a schema: the keyspace it names answers (when it is one).
      const schemas = (p as { sysTableSchema?: readonly import("@vt/evalengine").EvalExpr[] }).sysTableSchema ?? [];
      for (const e of schemas) {
        const v = evaluate(e, { bindVars });
        const name = v.raw === null ? undefined : new TextDecoder().decode(v.raw);
        if (name !== undefined && name !== ks && vc.vschema.keyspaces.has(name)) {
          const rss = (await vc.resolver.resolve(name, vc.tabletType, [DestinationAnyShard()]))[0] ?? [];
          return { rss, bindVars: rss.map(() => bindVars) };
        }
      }
      return simple(DestinationAnyShard());
    }
    case "Reference": case "Next": return simple(DestinationAnyShard());
    case "ByDestination":
      if (!p.targetDestination) throw VT.VT13001("ByDestination without a target");
      return simple(targetToDestination(p.targetDestination));
    case "EqualUnique": case "Equal": case "SubShard": {
      if ((p.values?.length ?? 0) > 1 || p.opcode === "SubShard") {
        // A multi-column vindex: one value per (leading) column; a prefix maps to a key range.
        const row = (p.values ?? []).map((e) => evaluate(e, { bindVars }));
        if (row.some((v) => v.raw === null)) return { rss: [], bindVars: [] };
        const [d] = await mapRows(p, vc, [row]);
        return simple(fromVindexDestination(d!));
      }
      const value = evaluate(first(p), { bindVars });
      if (value.raw === null) return NO_SHARDS; // `col = NULL` matches nothing
      const [d] = await mapValues(p, vc, [value]);
      return simple(fromVindexDestination(d!));
    }
    case "IN": return resolveIn(p, vc, bindVars);
    case "MultiEqual": {
      // `(a, b) IN ((1, 'x'), ...)`: the shards of every tuple's vindex value get the query unchanged.
      const values = evaluateList(first(p), { bindVars }).filter((v) => v.raw !== null);
      const dests = await mapValues(p, vc, values);
      const perDest = await vc.resolver.resolve(ks, vc.tabletType, dests.map(fromVindexDestination));
      const seen = new Map<string, ResolvedShard>();
      for (const rs of perDest.flat()) if (!seen.has(rs.shard)) seen.set(rs.shard, rs);
      const rss = [...seen.values()];
      return { rss, bindVars: rss.map(() => bindVars) };
    }
    default: throw VT.VT12001(`route opcode ${p.opcode}`);
  }
}

/**
 * resolveRoute without waiting, for the point-query hot path: an Equal/EqualUnique route whose vindex computes
 * (no lookup query) and a resolver with `resolveOne`. Returns undefined when the route needs the async path;
 * otherwise the same answer (or error) resolveRoute would give.
 */
export function resolveRouteNow(p: RoutingParams, vc: VCursor, bindVars: BindVars): RoutedShards | undefined {
  if ((p.opcode !== "EqualUnique" && p.opcode !== "Equal") || vc.resolver.resolveOne === undefined) return undefined;
  const vindex = vc.vschema.keyspaces.get(p.keyspace.name)?.vindexes.get(p.vindex ?? "");
  if (vindex === undefined || vindex.needsVCursor || !isSingleColumn(vindex)) return undefined;
  const value = evaluate(first(p), { bindVars });
  if (value.raw === null) return NO_SHARDS; // `col = NULL` matches nothing
  const dests = vindex.map([value]);
  if (!Array.isArray(dests)) return undefined;
  const rss = vc.resolver.resolveOne(p.keyspace.name, vc.tabletType, fromVindexDestination(dests[0]!));
  return { rss, bindVars: rss.length === 1 ? [bindVars] : rss.map(() => bindVars) };
}

function first(p: RoutingParams) {
  const v = p.values?.[0];
  if (!v) throw VT.VT13001(`${p.opcode} route without a value`);
  return v;
}

/** Maps values through the route's vindex (lookup vindexes use vc.lookup). */
export async function mapValues(p: { keyspace: { name: string }; vindex?: string }, vc: VCursor, values: Value[]): Promise<VindexDestination[]> {
  const vindex = vc.vschema.keyspaces.get(p.keyspace.name)?.vindexes.get(p.vindex ?? "");
  if (!vindex) throw VT.VT13001(`vindex ${p.vindex} not found in keyspace ${p.keyspace.name}`);
  if (!isSingleColumn(vindex)) throw VT.VT12001(`multi-column vindex ${vindex.name} in a route`);
  return await vindex.map(values, vc.lookup);
}

/** Maps rows of column values through the route's multi-column vindex. */
async function mapRows(p: { keyspace: { name: string }; vindex?: string }, vc: VCursor, rows: Value[][]): Promise<VindexDestination[]> {
  const vindex = vc.vschema.keyspaces.get(p.keyspace.name)?.vindexes.get(p.vindex ?? "");
  if (!vindex) throw VT.VT13001(`vindex ${p.vindex} not found in keyspace ${p.keyspace.name}`);
  if (!isMultiColumn(vindex)) throw VT.VT13001(`vindex ${vindex.name} is not a multi-column vindex`);
  return await vindex.mapMulti(rows, vc.lookup);
}

async function resolveIn(p: RoutingParams, vc: VCursor, bindVars: BindVars): Promise<RoutedShards> {
  const values = evaluateList(first(p), { bindVars });
  const dests = await mapValues(p, vc, values);
  const perDest = await vc.resolver.resolve(p.keyspace.name, vc.tabletType, dests.map(fromVindexDestination));
  const byShard = new Map<string, { rs: ResolvedShard; vals: Value[] }>();
  perDest.forEach((shards, i) => {
    for (const rs of shards) {
      const entry = byShard.get(rs.shard) ?? { rs, vals: [] };
      entry.vals.push(values[i]!);
      byShard.set(rs.shard, entry);
    }
  });
  const rss: ResolvedShard[] = [];
  const bvs: BindVars[] = [];
  for (const { rs, vals } of byShard.values()) {
    rss.push(rs);
    bvs.push({ ...bindVars, __vals: tupleBindVar(vals) });
  }
  return { rss, bindVars: bvs };
}

/** A TUPLE bind variable from values. */
export function tupleBindVar(vals: readonly Value[]): BindVariable {
  return { type: Type.TUPLE, value: new Uint8Array(0), values: vals.map((v) => ({ type: v.raw === null ? Type.NULL_TYPE : v.type, value: v.raw ?? new Uint8Array(0) })) };
}

/** Error for a row whose vindex value maps to no single keyspace id. */
export function cannotMap(v: Value): SqlError {
  const text = v.raw === null ? "NULL" : new TextDecoder().decode(v.raw);
  return new SqlError(1105, "HY000", `could not map [${text}] to a keyspace id`, "INVALID_ARGUMENT");
}
