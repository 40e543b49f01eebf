import type { Send } from "@vt/plan";
import { emptyResult } from "@vt/sqltypes";
import type { Executor } from "./executor.js";
import { targetToDestination } from "./resolve-route.js";
import { allOrThrow, mergeResults } from "./result-utils.js";

/** Send: the same statement to every target shard (DDL to all shards, passthrough to one). */
export const sendExecutor: Executor<Send> = {
  async execute(node, vc, bindVars) {
    const rss = (await vc.resolver.resolve(node.keyspace.name, vc.tabletType, [targetToDestination(node.targetDestination)]))[0] ?? [];
    if (rss.length === 0) return emptyResult();
    const outcomes = await vc.shards.executeMultiShard(rss, rss.map(() => ({ sql: node.query, bindVars })), {
      isDML: node.isDML, canAutocommit: rss.length === 1 || !node.isDML, ...(vc.signal ? { signal: vc.signal } : {}),
    });
    return mergeResults(allOrThrow(outcomes));
  },
};
