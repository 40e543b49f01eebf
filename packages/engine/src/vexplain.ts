import { describe, type Plan } from "@vt/plan";
import { substituteBindVars } from "@vt/sqlparser";
import { emptyResult, makeField, Type, type Result } from "@vt/sqltypes";
import type { BoundQuery, ExecOpts, ResolvedShard, ShardExecutor, ShardOutcome } from "./vcursor.js";

const enc = new TextEncoder();

/** One query vtgate sent to a shard while running a statement under VEXPLAIN QUERIES. */
export interface ExplainedQuery { readonly keyspace: string; readonly shard: string; readonly query: string }

/**
 * Wraps a ShardExecutor so that every query sent through it is appended to `log` (bind variables substituted, as
 * the tablet runs it) before being executed.
 */
export function recordingShards(shards: ShardExecutor, log: ExplainedQuery[]): ShardExecutor {
  const record = (rss: readonly ResolvedShard[], queries: readonly BoundQuery[]): void => {
    rss.forEach((rs, i) => {
      const q = queries[i];
      if (q) log.push({ keyspace: rs.keyspace, shard: rs.shard, query: substituteBindVars(q.sql, q.bindVars) });
    });
  };
  return {
    executeMultiShard(rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): Promise<ShardOutcome[]> {
      record(rss, queries);
      return shards.executeMultiShard(rss, queries, opts);
    },
    streamMultiShard(rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): AsyncIterable<Result> {
      record(rss, queries);
      return shards.streamMultiShard(rss, queries, opts);
    },
  };
}

/** `VEXPLAIN PLAN` / `EXPLAIN FORMAT=vitess`: one row, column `JSON`, the plan in Vitess's PrimitiveDescription JSON. */
export function vexplainPlanResult(plan: Plan): Result {
  return jsonResult(JSON.stringify(describe(plan.instructions), null, "\t"));
}

/** `VEXPLAIN QUERIES`: the queries sent, one row each: `#`, `keyspace`, `shard`, `query`. */
export function vexplainQueriesResult(log: readonly ExplainedQuery[]): Result {
  return {
    ...emptyResult(),
    fields: [makeField("#", Type.INT32), makeField("keyspace", Type.VARCHAR), makeField("shard", Type.VARCHAR), makeField("query", Type.VARCHAR)],
    rows: log.map((q, i) => [enc.encode(String(i)), enc.encode(q.keyspace), enc.encode(q.shard), enc.encode(q.query)]),
  };
}

/** `VEXPLAIN ALL`: one JSON row holding both the plan and the queries sent. */
export function vexplainAllResult(plan: Plan, log: readonly ExplainedQuery[]): Result {
  return jsonResult(JSON.stringify({ Queries: log, Plan: describe(plan.instructions) }, null, "\t"));
}

function jsonResult(text: string): Result {
  return { ...emptyResult(), fields: [makeField("JSON", Type.VARCHAR)], rows: [[enc.encode(text)]] };
}
