import type { Delete, Update } from "@vt/plan";
import { emptyResult } from "@vt/sqltypes";
import type { Executor } from "./executor.js";
import { resolveRoute } from "./resolve-route.js";
import { allOrThrow, mergeResults } from "./result-utils.js";

/** UPDATE/DELETE: route like a SELECT, send as DML (autocommit only when one shard), sum rows affected. */
function dmlExecutor<T extends Update | Delete>(): Executor<T> {
  return {
    async execute(node, vc, bindVars) {
      const { rss, bindVars: bvs } = await resolveRoute(node, vc, bindVars);
      if (rss.length === 0) return emptyResult();
      const outcomes = await vc.shards.executeMultiShard(rss, rss.map((_, i) => ({ sql: node.query, bindVars: bvs[i]! })), {
        isDML: true, canAutocommit: rss.length === 1, ...(vc.signal ? { signal: vc.signal } : {}),
      });
      return mergeResults(allOrThrow(outcomes));
    },
  };
}

export const updateExecutor: Executor<Update> = dmlExecutor<Update>();
export const deleteExecutor: Executor<Delete> = dmlExecutor<Delete>();
