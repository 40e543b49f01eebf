import { VT } from "@vt/errors";
import { evaluate, evaluateList } from "@vt/evalengine";
import type { Route, VindexLookup } from "@vt/plan";
import { isIntegral, type Value } from "@vt/sqltypes";
import type { VindexDestination } from "@vt/vindexes";
import type { Executor, ExecCursor } from "./executor.js";
import { fromVindexDestination, tupleBindVar } from "./resolve-route.js";
import type { BindVars } from "./vcursor.js";

/** What VindexLookup needs of a lookup vindex: turning the lookup rows of each id into destinations. */
interface MapsLookupResult { mapResult(ids: readonly Value[], rows: readonly Value[][]): VindexDestination[] }
const mapsLookupResult = (v: unknown): v is MapsLookupResult => typeof (v as Partial<MapsLookupResult>).mapResult === "function";

const key = (v: Value): string => Buffer.from(v.raw ?? new Uint8Array(0)).toString("latin1");

/**
 * VindexLookup: runs the lookup-table query for the ids (one query for integral ids, one per id otherwise, as the
 * lookup vindexes do), maps the rows to destinations through the vindex, and sends the route to those shards (IN
 * binds every id as `__vals`). An id found nowhere routes nowhere (the route then reports only its fields).
 */
export const vindexLookupExecutor: Executor<VindexLookup> = {
  async execute(node, vc, bindVars) {
    const r = await routed(node, vc, bindVars);
    return vc.run(r.route, r.bindVars);
  },
  async *stream(node, vc, bindVars) {
    const r = await routed(node, vc, bindVars);
    yield* vc.runStream(r.route, r.bindVars);
  },
};

async function routed(node: VindexLookup, vc: ExecCursor, bindVars: BindVars): Promise<{ route: Route; bindVars: BindVars }> {
  const first = node.values[0];
  if (!first) throw VT.VT13001("VindexLookup without a value");
  const ids = node.opcode === "IN" ? evaluateList(first, { bindVars }) : [evaluate(first, { bindVars })];
  const live = ids.filter((v) => v.raw !== null);
  const vindex = vc.vschema.keyspaces.get(node.keyspace.name)?.vindexes.get(node.vindex);
  if (!vindex || !mapsLookupResult(vindex)) throw VT.VT13001(`lookup vindex ${node.vindex} not found in keyspace ${node.keyspace.name}`);
  const rows = await lookupRows(node, vc, bindVars, live);
  const dests = live.length > 0 ? vindex.mapResult(live, rows) : [];
  const perDest = dests.length > 0 ? await vc.resolver.resolve(node.keyspace.name, vc.tabletType, dests.map(fromVindexDestination)) : [];
  const shards = [...new Set(perDest.flat().map((rs) => rs.shard))];
  const base = { ...node.sendTo };
  delete (base as { values?: unknown }).values;
  delete (base as { vindex?: unknown }).vindex;
  if (shards.length === 0) return { route: { ...base, opcode: "None" }, bindVars };
  const route: Route = { ...base, opcode: "ByDestination", targetDestination: { kind: "Shards", shards } };
  return { route, bindVars: node.opcode === "IN" ? { ...bindVars, __vals: tupleBindVar(live) } : bindVars };
}

/** The `to` values of each id, in id order. */
async function lookupRows(node: VindexLookup, vc: ExecCursor, bindVars: BindVars, ids: readonly Value[]): Promise<Value[][]> {
  if (ids.length === 0) return [];
  const run = async (batch: readonly Value[]) => {
    const r = await vc.run(node.lookup, { ...bindVars, [node.arg]: tupleBindVar(batch) });
    return r.rows.map((row) => ({ from: { type: r.fields[0]?.type ?? 0, raw: row[0] ?? null }, to: { type: r.fields[1]?.type ?? 0, raw: row[1] ?? null } }));
  };
  if (isIntegral(ids[0]!.type)) {
    const byKey = new Map<string, Value[]>();
    for (const { from, to } of await run(ids)) byKey.set(key(from), [...(byKey.get(key(from)) ?? []), to]);
    return ids.map((id) => byKey.get(key(id)) ?? []);
  }
  const out: Value[][] = [];
  for (const id of ids) out.push((await run([id])).map((x) => x.to));
  return out;
}
