import type { Route } from "@vt/plan";
import { emptyResult, type Result } from "@vt/sqltypes";
import type { Executor } from "./executor.js";
import { resolveRoute, resolveRouteNow } from "./resolve-route.js";
import { allOrThrow, mergeResults, sortRows, truncate } from "./result-utils.js";
import { DestinationAnyShard } from "@vt/key";
import { SqlError } from "@vt/errors";
import type { ExecOpts } from "./vcursor.js";

const SELECT_OPTS: ExecOpts = Object.freeze({ isDML: false, canAutocommit: true });

/** Route: resolve shards, send the query to each, concatenate (merge-sort by orderBy), drop helper columns. */
export const routeExecutor: Executor<Route> = {
  async execute(node, vc, bindVars) {
    const { rss, bindVars: bvs } = resolveRouteNow(node, vc, bindVars) ?? await resolveRoute(node, vc, bindVars);
    if (rss.length === 0) return fieldsOnly(node, vc, bindVars);
    const queries = rss.map((_, i) => ({ sql: node.query, bindVars: bvs[i]! }));
    const outcomes = await vc.shards.executeMultiShard(rss, queries, vc.signal ? { isDML: false, canAutocommit: true, signal: vc.signal } : SELECT_OPTS);
    if (outcomes.length === 1 && node.truncateColumnCount === undefined) {
      // One shard (the point query): its result as is, unless it carries `info` (a merge drops it).
      const o = outcomes[0]!;
      if (!o.ok) throw SqlError.from(o.error);
      if (o.result.info === "") return o.result;
    }
    const merged = mergeResults(allOrThrow(outcomes));
    if (node.orderBy && rss.length > 1) sortRows(merged.rows, merged.fields, node.orderBy);
    return truncate(merged, node.truncateColumnCount);
  },
  async *stream(node, vc, bindVars) {
    if (node.orderBy || node.truncateColumnCount !== undefined) {
      yield await routeExecutor.execute(node, vc, bindVars);
      return;
    }
    const { rss, bindVars: bvs } = await resolveRoute(node, vc, bindVars);
    if (rss.length === 0) {
      yield await fieldsOnly(node, vc, bindVars);
      return;
    }
    const queries = rss.map((_, i) => ({ sql: node.query, bindVars: bvs[i]! }));
    yield* vc.shards.streamMultiShard(rss, queries, { isDML: false, canAutocommit: true, ...(vc.signal ? { signal: vc.signal } : {}) });
  },
};

/** A route that matched no shard still reports its fields (from the field query on any shard). */
async function fieldsOnly(node: Route, vc: Parameters<Executor<Route>["execute"]>[1], bindVars: Record<string, never> | object): Promise<Result> {
  const rss = (await vc.resolver.resolve(node.keyspace.name, vc.tabletType, [DestinationAnyShard()]))[0] ?? [];
  if (rss.length === 0) return emptyResult();
  const outcomes = await vc.shards.executeMultiShard(rss.slice(0, 1), [{ sql: node.fieldQuery, bindVars: bindVars as never }], { isDML: false, canAutocommit: true });
  const r = mergeResults(allOrThrow(outcomes));
  return truncate({ ...r, rows: [] }, node.truncateColumnCount);
}
