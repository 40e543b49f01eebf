import type { BoundQuery, ExecOpts, ResolvedShard, SessionState, ShardExecutor, ShardOutcome } from "./vcursor.js";

/**
 * The `/*vt+ SCATTER_ERRORS_AS_WARNINGS *\/` directive (Vitess's Route.ScatterErrorsAsWarnings): a read sent to
 * several shards where some, but not all, shards fail returns the other shards' rows, and each shard error becomes a
 * warning (its MySQL errno and message) that SHOW WARNINGS lists. When every shard fails, the errors stand.
 * DML and single-shard calls are passed through untouched. Requires: only used for SELECT statements (callers that
 * index outcomes by shard position must not see the filtered list). Streams are answered from one execute call.
 */
export function withScatterErrorsAsWarnings(shards: ShardExecutor, session: SessionState): ShardExecutor {
  const tolerant = async (rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): Promise<ShardOutcome[]> => {
    const outcomes = await shards.executeMultiShard(rss, queries, opts);
    if (opts.isDML || rss.length < 2) return outcomes;
    const failed = outcomes.filter((o) => !o.ok);
    if (failed.length === 0 || failed.length === outcomes.length) return outcomes;
    for (const f of failed) session.recordWarning({ code: f.error.errno, message: f.error.message });
    return outcomes.filter((o) => o.ok);
  };
  return {
    executeMultiShard: tolerant,
    async *streamMultiShard(rss, queries, opts) {
      for (const o of await tolerant(rss, queries, opts)) {
        if (!o.ok) throw o.error;
        yield o.result;
      }
    },
  };
}
