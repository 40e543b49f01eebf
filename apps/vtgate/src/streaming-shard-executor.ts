import type { BoundQuery, ExecOpts, ResolvedShard, ShardExecutor, ShardOutcome } from "@vt/engine";
import { SqlError } from "@vt/errors";
import type { Result } from "@vt/sqltypes";
import { TABLET_TYPE_NUMBER } from "./resolver.js";
import type { Session } from "./session.js";
import type { TabletGateway } from "./tablet-gateway.js";

/** Per-statement settings the shard queries carry (MariaDB's `SET STATEMENT ... FOR`). */
export interface StatementSettings {
  /** Remaining time budget in ms; the tablet's MariaDB aborts a SELECT that runs longer (max_statement_time). */
  readonly timeoutMs?: number;
}

/**
 * The ShardExecutor vtgate hands the engine: point and transactional work goes to `inner` (ScatterConn), while
 * streamMultiShard opens one tablet StreamExecute per shard outside transactions and merges them with at most one
 * message in flight per shard, so a large result moves at the client's pace (backpressure from the socket back to
 * each tablet) and vtgate never holds it whole. Breaking out of the stream (client gone, KILL, timeout) cancels
 * every shard stream. With a timeout, SELECTs are wrapped in `SET STATEMENT max_statement_time=… FOR` so the
 * tablet's MariaDB stops them too.
 */
export class StreamingShardExecutor implements ShardExecutor {
  constructor(
    private readonly inner: ShardExecutor, private readonly gw: TabletGateway, private readonly session: Session,
    private readonly settings: StatementSettings = {},
  ) {}

  executeMultiShard(rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): Promise<ShardOutcome[]> {
    return this.inner.executeMultiShard(rss, this.wrap(queries), opts);
  }

  async *streamMultiShard(rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): AsyncIterable<Result> {
    const s = this.session;
    if (s.inTransaction || !s.autocommit || opts.isDML) {
      yield* this.inner.streamMultiShard(rss, this.wrap(queries), opts);
      return;
    }
    const wrapped = this.wrap(queries);
    const iterators = rss.map((rs, i) => {
      const tabletType = TABLET_TYPE_NUMBER[rs.tabletType] ?? 1;
      const th = this.gw.pick(rs.keyspace, rs.shard, tabletType);
      const q = wrapped[i]!;
      return th.conn.streamExecute({ keyspace: rs.keyspace, shard: rs.shard, tabletType }, q.sql, q.bindVars, 0n)[Symbol.asyncIterator]();
    });
    yield* mergeStreams(iterators, opts.signal);
  }

  private wrap(queries: readonly BoundQuery[]): readonly BoundQuery[] {
    const ms = this.settings.timeoutMs;
    if (ms === undefined || ms <= 0) return queries;
    const sec = (Math.max(ms, 1) / 1000).toFixed(3);
    return queries.map((q) => (/^\s*select\b/i.test(q.sql) ? { sql: `SET STATEMENT max_statement_time=${sec} FOR ${q.sql}`, bindVars: q.bindVars } : q));
  }
}

/**
 * Interleaves several result streams: one pending `next()` per stream, messages yielded as they arrive. On an
 * error, an abort or an early break, every stream still open is closed (which cancels its tablet call).
 */
export async function* mergeStreams(its: AsyncIterator<Result>[], signal?: AbortSignal): AsyncIterable<Result> {
  type Step = { readonly i: number; readonly r: IteratorResult<Result> };
  const pending = new Map<number, Promise<Step>>();
  const pull = (i: number): void => {
    pending.set(i, its[i]!.next().then((r) => ({ i, r })));
  };
  its.forEach((_, i) => pull(i));
  let aborted: Promise<never> | undefined;
  if (signal) {
    aborted = new Promise<never>((_, reject) => {
      const fail = (): void => reject(signal.reason instanceof SqlError ? signal.reason : interrupted());
      if (signal.aborted) fail();
      else signal.addEventListener("abort", fail, { once: true });
    });
    aborted.catch(() => undefined);
  }
  try {
    while (pending.size > 0) {
      const step = await Promise.race(aborted ? [...pending.values(), aborted] : pending.values());
      if (step.r.done) {
        pending.delete(step.i);
        continue;
      }
      const value = step.r.value;
      pull(step.i);
      yield value;
    }
  } finally {
    for (const i of pending.keys()) {
      const p = pending.get(i)!;
      p.catch(() => undefined);
      void its[i]!.return?.()?.catch?.(() => undefined);
    }
  }
}

function interrupted(): SqlError {
  return new SqlError(1317, "70100", "Query execution was interrupted", "CANCELED");
}
