import type { BoundQuery, ExecOpts, ResolvedShard, ShardExecutor, ShardOutcome } from "@vt/engine";
import { SqlError } from "@vt/errors";
import type { Result } from "@vt/sqltypes";
import type { ExecuteOptions, Target as TabletTarget } from "@vt/tablet-client";
import { TABLET_TYPE_NUMBER } from "./resolver.js";
import type { Session } from "./session.js";
import type { TabletGateway } from "./tablet-gateway.js";
import type { TxConn } from "./tx-conn.js";

/** A statement that only reads (a SELECT, possibly parenthesized or after comments); anything else counts as a write. */
const READ_ONLY_SQL = /^\s*(?:\/\*(?:[^*]|\*(?!\/))*\*\/\s*)*\(*\s*select\b/i;

/** ExecuteOptions asking the tablet for CLIENT_FOUND_ROWS semantics (shared, never mutated). */
const FOUND_ROWS: ExecuteOptions = Object.freeze({ clientFoundRows: true });

/**
 * Sends queries to shards for one session (Vitess's ScatterConn): in the session's transaction when one is open
 * (opening shard transactions lazily with BeginExecute), and wrapping a multi-shard DML outside a transaction in
 * its own transaction that commits only if every shard succeeded, so a failed multi-shard INSERT leaves nothing.
 * When the client negotiated CLIENT_FOUND_ROWS, its DML outside a transaction and the shard transactions it opens
 * carry ExecuteOptions.client_found_rows, so the tablets report rows matched (as MariaDB would to that client).
 */
export class ScatterConn implements ShardExecutor {
  /**
   * `multiShardAutocommit` (the MULTI_SHARD_AUTOCOMMIT directive): a multi-shard DML outside a transaction runs in
   * autocommit on each shard, so shards that succeed keep their changes when another fails (Vitess's semantics).
   */
  constructor(private readonly gw: TabletGateway, private readonly session: Session, private readonly tx?: TxConn,
    private readonly opts: { readonly multiShardAutocommit?: boolean } = {}) {}

  async executeMultiShard(rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): Promise<ShardOutcome[]> {
    const inTx = this.session.inTransaction || !this.session.autocommit;
    if (inTx && !this.session.inTransaction) this.session.inTransaction = true;
    if (!inTx && opts.isDML && rss.length > 1 && this.opts.multiShardAutocommit !== true) return this.atomicDml(rss, queries);
    const options = !inTx && opts.isDML && this.session.clientFoundRows ? FOUND_ROWS : undefined;
    if (inTx && this.tx) {
      try {
        this.tx.checkShards(this.session, rss.map((rs) => this.target(rs)));
      } catch (e) {
        return rss.map(() => ({ ok: false, error: SqlError.from(e) }));
      }
    }
    if (rss.length === 1) {
      if (!inTx) return this.executeAutocommitOne(rss[0]!, queries[0]!, options, opts.signal);
      return [await this.executeOne(rss[0]!, queries[0]!, inTx, options, opts.signal, opts.isDML)];
    }
    return Promise.all(rss.map((rs, i) => this.executeOne(rs, queries[i]!, inTx, options, opts.signal, opts.isDML)));
  }

  async *streamMultiShard(rss: readonly ResolvedShard[], queries: readonly BoundQuery[], opts: ExecOpts): AsyncIterable<Result> {
    const outcomes = await this.executeMultiShard(rss, queries, opts);
    for (const o of outcomes) {
      if (!o.ok) throw o.error;
      yield o.result;
    }
  }

  private target(rs: ResolvedShard): TabletTarget {
    return { keyspace: rs.keyspace, shard: rs.shard, tabletType: TABLET_TYPE_NUMBER[rs.tabletType] ?? 1 };
  }

  /** The point-query hot path: one shard outside a transaction, no async frames of its own. */
  private executeAutocommitOne(rs: ResolvedShard, q: BoundQuery, options: ExecuteOptions | undefined,
    signal: AbortSignal | undefined): Promise<ShardOutcome[]> {
    const target = this.target(rs);
    let th;
    try {
      th = this.gw.pick(rs.keyspace, rs.shard, target.tabletType);
    } catch (e) {
      return Promise.resolve([{ ok: false, error: SqlError.from(e) }]);
    }
    const alias = th.alias;
    return th.conn.execute(target, q.sql, q.bindVars, 0n, options, signal).then(
      (result): ShardOutcome[] => [{ ok: true, result }],
      (e: unknown): ShardOutcome[] => [{ ok: false, error: this.tabletFailed(alias, e) }]);
  }

  private async executeOne(rs: ResolvedShard, q: BoundQuery, inTx: boolean, options: ExecuteOptions | undefined,
    signal?: AbortSignal, isDML = false): Promise<ShardOutcome> {
    const target = this.target(rs);
    try {
      if (!inTx) {
        const th = this.gw.pick(rs.keyspace, rs.shard, target.tabletType);
        try {
          return { ok: true, result: await th.conn.execute(target, q.sql, q.bindVars, 0n, options, signal) };
        } catch (e) {
          throw this.tabletFailed(th.alias, e);
        }
      }
      const writes = isDML || !READ_ONLY_SQL.test(q.sql);
      const ss = this.session.findShardSession(rs.keyspace, rs.shard, target.tabletType);
      if (ss) {
        if (writes) ss.wrote = true;
        const th = this.gw.get(ss.tabletAlias);
        if (!th) throw new SqlError(1105, "HY000", `transaction ${ss.transactionId}: tablet ${ss.tabletAlias} is gone`, "ABORTED");
        return { ok: true, result: await this.call(th.alias, () => th.conn.execute(target, q.sql, q.bindVars, ss.transactionId, undefined, signal)) };
      }
      const th = this.gw.pick(rs.keyspace, rs.shard, target.tabletType);
      const b = this.tx?.shardBegin(this.session);
      const r = await this.call(th.alias, () => th.conn.beginExecute(target, q.sql, q.bindVars, this.beginOptions(b?.options), b?.preQueries));
      if (r.transactionId !== 0n) {
        this.session.shardSessions.push({ keyspace: rs.keyspace, shard: rs.shard, tabletType: target.tabletType, tabletAlias: th.alias,
          transactionId: r.transactionId, ...(writes ? { wrote: true } : {}) });
      }
      if (r.error) throw r.error;
      return { ok: true, result: r.result ?? { fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" } };
    } catch (e) {
      return { ok: false, error: SqlError.from(e) };
    }
  }

  /** A multi-shard DML in autocommit mode: one transaction per shard, all committed only if all succeeded. */
  private async atomicDml(rss: readonly ResolvedShard[], queries: readonly BoundQuery[]): Promise<ShardOutcome[]> {
    const opened: { alias: string; target: TabletTarget; txid: bigint }[] = [];
    const outcomes = await Promise.all(rss.map(async (rs, i): Promise<ShardOutcome> => {
      const target = this.target(rs);
      try {
        const th = this.gw.pick(rs.keyspace, rs.shard, target.tabletType);
        const q = queries[i]!;
        const r = await this.call(th.alias, () => th.conn.beginExecute(target, q.sql, q.bindVars, this.beginOptions(undefined)));
        if (r.transactionId !== 0n) opened.push({ alias: th.alias, target, txid: r.transactionId });
        if (r.error) throw r.error;
        return { ok: true, result: r.result ?? { fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" } };
      } catch (e) {
        return { ok: false, error: SqlError.from(e) };
      }
    }));
    const allOk = outcomes.every((o) => o.ok);
    for (const t of opened) {
      const th = this.gw.get(t.alias);
      if (!th) continue;
      try {
        if (allOk) await th.conn.commit(t.target, t.txid);
        else await th.conn.rollback(t.target, t.txid);
      } catch (e) {
        if (allOk) return rss.map(() => ({ ok: false, error: SqlError.from(e) }));
      }
    }
    return outcomes;
  }

  /** A shard transaction's begin options plus client_found_rows when the client negotiated CLIENT_FOUND_ROWS. */
  private beginOptions(options: ExecuteOptions | undefined): ExecuteOptions | undefined {
    if (!this.session.clientFoundRows) return options;
    return options === undefined ? FOUND_ROWS : { ...options, clientFoundRows: true };
  }

  /** Runs a tablet call, marking the tablet unhealthy on connection-level failures. */
  private async call<T>(alias: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.tabletFailed(alias, e);
    }
  }

  /** The call's error as a SqlError; a connection-level failure marks the tablet unhealthy. */
  private tabletFailed(alias: string, e: unknown): SqlError {
    const err = SqlError.from(e);
    if (err.vtCode === "UNAVAILABLE") this.gw.markUnhealthy(alias, err.message);
    return err;
  }
}
