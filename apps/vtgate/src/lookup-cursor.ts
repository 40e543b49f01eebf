import { execute as executePlan, type VCursor } from "@vt/engine";
import { SqlError } from "@vt/errors";
import { DestinationKeyspaceID } from "@vt/key";
import { plan as planStatement } from "@vt/planner";
import { parse } from "@vt/sqlparser";
import type { BindVariable, Result } from "@vt/sqltypes";
import type { CommitOrder, LookupCursor } from "@vt/vindexes";
import type { Session } from "./session.js";

/** What the lookup cursor needs from vtgate's executor. */
export interface LookupCursorDeps {
  /** The engine's view of vtgate for a session (shards, resolver, vschema). */
  vcursor(session: Session): VCursor;
  /** Commits / rolls back every shard transaction of a session. */
  commit(session: Session): Promise<void>;
  rollback(session: Session): Promise<void>;
}

type ExecOpts = Parameters<LookupCursor["execute"]>[2];

/**
 * vtgate's LookupCursor: lookup vindexes read and write their backing tables through vtgate itself (the lookup
 * table's own vschema routing). Commit orders: NORMAL runs in the session; AUTOCOMMIT in a separate autocommitted
 * session; PRE and POST, during a statement transaction, in separate transactional sessions committed before
 * (PRE) and after (POST) the session's own — inside a user transaction they share the session's transaction, so
 * everything commits or rolls back together. `statementTransaction` wraps an autocommit DML that maintains lookups
 * (or moves rows) so that its shard writes and lookup rows commit together or not at all.
 */
export class VtgateLookupCursor implements LookupCursor {
  #statementTx = false;
  #pre: Session | undefined;
  #post: Session | undefined;

  constructor(private readonly session: Session, private readonly deps: LookupCursorDeps) {}

  /**
   * Lookup reads lock (`read_lock`) only inside a user transaction. A statement transaction reads unlocked: a PRE
   * read holding its lookup row would block the POST delete of that row until the end of the statement.
   */
  inTransactionAndIsDML(): boolean {
    return this.session.inTransaction && !this.#statementTx;
  }

  async execute(sql: string, bindVars: Record<string, BindVariable>, opts: ExecOpts): Promise<Result> {
    const s = this.#sessionFor(opts.commitOrder ?? "NORMAL", opts.autocommit ?? false);
    const vc = this.deps.vcursor(s);
    const keyspace = this.session.target.keyspace;
    const p = planStatement(parse(sql), vc.vschema, keyspace ? { keyspace } : {}, sql);
    try {
      return await executePlan(p, vc, bindVars);
    } catch (e) {
      const err = SqlError.from(e);
      if (opts.ignoreDuplicates && err.errno === 1062) return { fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" };
      throw err;
    }
  }

  /** Runs `sql` on the shard of `keyspace` holding `ksid`, in the session (or autocommitted). */
  async executeKeyspaceId(keyspace: string, ksid: Uint8Array, sql: string, bindVars: Record<string, BindVariable>, opts: { autocommit?: boolean }): Promise<Result> {
    const vc = this.deps.vcursor(opts.autocommit ? autocommitClone(this.session) : this.session);
    const [rss = []] = await vc.resolver.resolve(keyspace, vc.tabletType, [DestinationKeyspaceID(ksid)]);
    if (rss.length !== 1) throw new SqlError(1105, "HY000", `keyspace id ${Buffer.from(ksid).toString("hex")} maps to ${rss.length} shards in ${keyspace}`, "INTERNAL");
    const [o] = await vc.shards.executeMultiShard(rss, [{ sql, bindVars }], { isDML: false, canAutocommit: true });
    if (!o) throw new SqlError(1105, "HY000", "no result from shard", "INTERNAL");
    if (!o.ok) throw o.error;
    return o.result;
  }

  /**
   * Runs `fn` as one transaction. Inside a user transaction (or with autocommit off) it just runs. Otherwise the
   * session enters a statement transaction: on success PRE sessions commit, then the session, then POST; on failure
   * all roll back.
   */
  async statementTransaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#statementTx || this.session.inTransaction || !this.session.autocommit) return fn();
    this.#statementTx = true;
    this.session.inTransaction = true;
    try {
      const r = await fn();
      if (this.#pre) await this.deps.commit(this.#pre);
      await this.deps.commit(this.session);
      if (this.#post) await this.deps.commit(this.#post);
      return r;
    } catch (e) {
      await Promise.all([this.#pre, this.session, this.#post].map((s) => (s ? this.deps.rollback(s).catch(() => undefined) : undefined)));
      throw e;
    } finally {
      this.session.resetTransaction();
      this.#statementTx = false;
      this.#pre = undefined;
      this.#post = undefined;
    }
  }

  /** The session a lookup query runs in (see the class comment). */
  #sessionFor(order: CommitOrder, autocommit: boolean): Session {
    if (order === "AUTOCOMMIT" || autocommit) return autocommitClone(this.session);
    if (order === "NORMAL" || !this.#statementTx) return this.session;
    if (order === "PRE") return (this.#pre ??= txClone(this.session));
    return (this.#post ??= txClone(this.session));
  }
}

function clone(s: Session, fields: Partial<Session>): Session {
  const c = Object.create(Object.getPrototypeOf(s) as object) as Session;
  Object.assign(c, s, { shardSessions: [], warnings: [] }, fields);
  return c;
}

/** A session copy that autocommits every statement (no shard transactions). */
const autocommitClone = (s: Session): Session => clone(s, { inTransaction: false, autocommit: true });
/** A session copy with its own, initially empty, transaction. */
const txClone = (s: Session): Session => clone(s, { inTransaction: true, autocommit: true });
