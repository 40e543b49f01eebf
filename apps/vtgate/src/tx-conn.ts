import { SqlError } from "@vt/errors";
import type { ExecuteOptions, QueryService, Target as TabletTarget } from "@vt/tablet-client";
import type { Session, ShardSession } from "./session.js";
import type { TabletGateway } from "./tablet-gateway.js";

/** vtgate's transaction_mode (session variable and --transaction_mode flag). */
export type TransactionMode = "SINGLE" | "MULTI" | "TWOPC";

/** A point in the 2PC commit where the test hook can crash vtgate. */
export type TwoPcCrashPoint = "after_create" | "after_prepare" | "after_start_commit";

/** Settings of a {@link TxConn}. */
export interface TxConnOptions {
  readonly gateway: TabletGateway;
  /** --transaction_mode: the mode of sessions that did not SET transaction_mode (default MULTI). */
  readonly defaultMode?: TransactionMode;
  /**
   * Test hook (off unless set, e.g. from env VTGATE_TWOPC_TEST_HOOKS=1): a session whose user variable
   * `@vt_twopc_crash` names a {@link TwoPcCrashPoint} makes vtgate die there (SIGKILL, no cleanup) during its commit.
   */
  readonly testHooks?: boolean;
  /** How to die at a crash point (default: SIGKILL this process). */
  readonly crash?: () => void;
}

/** query.ExecuteOptions.TransactionIsolation numbers by MySQL's isolation names. */
const ISOLATION: Record<string, number> = { "REPEATABLE-READ": 1, "READ-COMMITTED": 2, "READ-UNCOMMITTED": 3, SERIALIZABLE: 4 };
/** query.ExecuteOptions.TransactionAccessMode. */
const ACCESS = { CONSISTENT_SNAPSHOT: 0, READ_WRITE: 1, READ_ONLY: 2 } as const;
const TABLET_TYPE_NAMES = ["UNKNOWN", "PRIMARY", "REPLICA", "RDONLY"];

const targetOf = (ss: ShardSession): TabletTarget => ({ keyspace: ss.keyspace, shard: ss.shard, tabletType: ss.tabletType });

/** Vitess's rendering of a shard session list in "multi-db transaction attempted" errors. */
function describeSessions(list: readonly { keyspace: string; shard: string; tabletType: number; transactionId?: bigint; tabletAlias?: string }[]): string {
  return `[${list.map((s) => {
    const alias = s.tabletAlias ? /^(.*)-0*(\d+)$/.exec(s.tabletAlias) : null;
    return `target:{keyspace:"${s.keyspace}" shard:"${s.shard}" tablet_type:${TABLET_TYPE_NAMES[s.tabletType] ?? s.tabletType}}` +
      (s.transactionId !== undefined ? ` transaction_id:${s.transactionId}` : "") +
      (alias ? ` tablet_alias:{cell:"${alias[1]}" uid:${alias[2]}}` : "");
  }).join(" ")}]`;
}

/**
 * vtgate's transaction coordinator (Vitess's TxConn): opens shard transactions with the session's isolation,
 * access mode and savepoints, enforces SINGLE mode, and ends a session's shard transactions:
 * - MULTI (default): commits the shards one by one; after the first failure the rest are rolled back (a partial
 *   commit is possible, as in Vitess).
 * - TWOPC: atomic across shards. The first shard is the metadata manager (MM); the dtid is `ks:shard:txid` of its
 *   transaction. CreateTransaction on the MM (state PREPARE + participants in `_vt.dt_state`/`_vt.dt_participant`),
 *   Prepare on every other participant (MariaDB `XA PREPARE`), StartCommit on the MM (its own writes and the COMMIT
 *   decision in one local commit), CommitPrepared on the participants, ConcludeTransaction. A failed Prepare rolls
 *   everything back (SetRollback, RollbackPrepared). Whatever a crashed vtgate leaves behind, the MM tablet's resolver
 *   finishes after --twopc_abandon_age.
 * - SINGLE: a transaction may touch one shard only.
 */
export class TxConn {
  constructor(private readonly o: TxConnOptions) {}

  /** The session's transaction mode (its own SET transaction_mode, else --transaction_mode). */
  mode(session: Session): TransactionMode {
    return session.transactionMode ?? this.o.defaultMode ?? "MULTI";
  }

  /**
   * BEGIN / START TRANSACTION [READ ONLY | READ WRITE | WITH CONSISTENT SNAPSHOT]: commits an open transaction
   * (as MySQL does) and opens a new one; shard transactions start lazily with these access modes.
   */
  async begin(session: Session, text: string): Promise<void> {
    if (session.inTransaction) await this.commit(session);
    const t = text.toLowerCase().replace(/\s+/g, " ");
    const modes: number[] = [];
    if (/\bwith consistent snapshot\b/.test(t)) modes.push(ACCESS.CONSISTENT_SNAPSHOT);
    if (/\bread only\b/.test(t)) modes.push(ACCESS.READ_ONLY);
    if (/\bread write\b/.test(t)) modes.push(ACCESS.READ_WRITE);
    session.txAccessModes = modes;
    session.inTransaction = true;
  }

  /**
   * SET TRANSACTION [ISOLATION LEVEL ...] [READ ONLY | READ WRITE] without a scope: applies to the next transaction
   * only; refused (1568) while a transaction is in progress, as MySQL does.
   */
  setNextTransaction(session: Session, isolation: string | undefined, readOnly: boolean | undefined): void {
    if (session.shardSessions.length > 0) {
      throw new SqlError(1568, "25001", "Transaction characteristics can't be changed while a transaction is in progress", "FAILED_PRECONDITION");
    }
    session.nextTx = { ...session.nextTx, ...(isolation !== undefined ? { isolation } : {}), ...(readOnly !== undefined ? { readOnly } : {}) };
  }

  /**
   * What a shard joining the session's transaction begins with: the isolation level (when not MariaDB's default),
   * the access modes of START TRANSACTION, prepare-capability in TWOPC mode, and the savepoint statements so far
   * (replayed as BeginExecute pre-queries).
   */
  shardBegin(session: Session): { options?: ExecuteOptions; preQueries: string[] } {
    const options: ExecuteOptions = {};
    const iso = ISOLATION[(session.nextTx?.isolation ?? session.txIsolation).toUpperCase()];
    if (iso !== undefined && (iso !== 1 || session.nextTx?.isolation !== undefined)) options.transactionIsolation = iso;
    const modes = session.txAccessModes.length > 0 || session.nextTx?.readOnly === undefined ? session.txAccessModes
      : [session.nextTx.readOnly ? ACCESS.READ_ONLY : ACCESS.READ_WRITE];
    if (modes.length > 0) options.transactionAccessMode = [...modes];
    if (this.mode(session) === "TWOPC") options.prepareCapable = true;
    return { ...(Object.keys(options).length > 0 ? { options } : {}), preQueries: [...session.savepoints] };
  }

  /** SINGLE mode: throws (Vitess's ABORTED "multi-db transaction attempted") when the shards would exceed one. */
  checkShards(session: Session, targets: readonly TabletTarget[]): void {
    if (this.mode(session) !== "SINGLE") return;
    const existing = session.shardSessions;
    const added = targets.filter((t, i) => !session.findShardSession(t.keyspace, t.shard, t.tabletType) &&
      targets.findIndex((u) => u.keyspace === t.keyspace && u.shard === t.shard && u.tabletType === t.tabletType) === i);
    if (existing.length + added.length <= 1) return;
    throw new SqlError(1317, "70100", `multi-db transaction attempted: ${describeSessions([...existing, ...added])}`, "ABORTED");
  }

  /** COMMIT: ends the session's transaction according to its mode; the session is reset whatever happens. */
  async commit(session: Session): Promise<void> {
    const sessions = session.shardSessions;
    const readOnly = session.txAccessModes.includes(ACCESS.READ_ONLY) || session.nextTx?.readOnly === true;
    session.resetTransaction();
    if (sessions.length === 0) return;
    if (this.mode(session) === "TWOPC" && sessions.length > 1 && !readOnly) return this.commitTwoPc(session, sessions);
    await this.commitNormal(sessions);
  }

  /** ROLLBACK: rolls back every shard transaction; errors are ignored (the tablets' killers reap leftovers). */
  async rollback(session: Session): Promise<void> {
    const sessions = session.shardSessions;
    session.resetTransaction();
    await this.rollbackAll(sessions);
  }

  /**
   * SAVEPOINT / ROLLBACK TO SAVEPOINT / RELEASE SAVEPOINT: run on every shard already in the transaction and
   * remembered for shards that join later. Outside a transaction SAVEPOINT is a no-op and the others fail with 1305.
   */
  async savepoint(session: Session, kind: "savepoint" | "rollback_to" | "release", name: string): Promise<void> {
    const quoted = "`" + name.replace(/`/g, "``") + "`";
    const sql = kind === "savepoint" ? `savepoint ${quoted}` : kind === "release" ? `release savepoint ${quoted}` : `rollback to savepoint ${quoted}`;
    if (!session.inTransaction && !session.autocommit) session.inTransaction = true;
    if (!session.inTransaction) {
      if (kind === "savepoint") return;
      throw noSavepoint(name);
    }
    if (kind !== "savepoint" && session.shardSessions.length === 0 && !this.declared(session, name)) throw noSavepoint(name);
    for (const ss of session.shardSessions) {
      await this.conn(ss).execute(targetOf(ss), sql, {}, ss.transactionId);
    }
    session.savepoints.push(sql);
  }

  private declared(session: Session, name: string): boolean {
    const lname = name.toLowerCase();
    let live = false;
    for (const s of session.savepoints) {
      const m = /^(savepoint|release savepoint|rollback to savepoint) `((?:[^`]|``)+)`$/.exec(s);
      if (!m || m[2]!.replace(/``/g, "`").toLowerCase() !== lname) continue;
      live = m[1] !== "release savepoint";
    }
    return live;
  }

  private async commitNormal(sessions: readonly ShardSession[]): Promise<void> {
    if (sessions.length > 1 && !sessions.some((ss) => ss.wrote === true)) {
      // Nothing was written: no partial commit to avoid, so all shards commit at once (one round trip, not one per shard).
      const failed = (await Promise.all(sessions.map(async (ss): Promise<SqlError | undefined> => {
        try {
          await this.conn(ss).commit(targetOf(ss), ss.transactionId);
          return undefined;
        } catch (e) {
          return SqlError.from(e);
        }
      }))).find((e) => e !== undefined);
      if (failed !== undefined) throw failed;
      return;
    }
    for (let i = 0; i < sessions.length; i++) {
      const ss = sessions[i]!;
      try {
        await this.conn(ss).commit(targetOf(ss), ss.transactionId);
      } catch (e) {
        await this.rollbackAll(sessions.slice(i + 1));
        throw SqlError.from(e);
      }
    }
  }

  private async commitTwoPc(session: Session, sessions: readonly ShardSession[]): Promise<void> {
    const [mm, ...rest] = sessions as [ShardSession, ...ShardSession[]];
    const dtid = `${mm.keyspace}:${mm.shard}:${mm.transactionId}`;
    const mmConn = this.conn(mm);
    try {
      await mmConn.createTransaction(targetOf(mm), dtid, rest.map(targetOf));
    } catch (e) {
      await this.rollbackAll(sessions);
      throw SqlError.from(e);
    }
    this.hook(session, "after_create");
    try {
      await Promise.all(rest.map((ss) => this.conn(ss).prepare(targetOf(ss), ss.transactionId, dtid)));
    } catch (e) {
      await this.abortTwoPc(mm, rest, dtid);
      throw SqlError.from(e);
    }
    this.hook(session, "after_prepare");
    try {
      await mmConn.startCommit(targetOf(mm), mm.transactionId, dtid);
    } catch (e) {
      // The decision is whatever the MM recorded; without an answer the resolver settles it later.
      const state = await mmConn.readTransaction(targetOf(mm), dtid).then((m) => m?.state, () => undefined);
      if (state !== 3) {
        if (state !== undefined) await this.abortTwoPc(mm, rest, dtid);
        throw SqlError.from(e);
      }
    }
    this.hook(session, "after_start_commit");
    const failed: string[] = [];
    await Promise.all(rest.map(async (ss) => {
      try {
        await this.conn(ss).commitPrepared(targetOf(ss), dtid);
      } catch (e) {
        failed.push(`${ss.keyspace}/${ss.shard}: ${SqlError.from(e).message}`);
      }
    }));
    if (failed.length > 0) {
      // Committed (the decision is durable on the MM); the resolver finishes these participants.
      session.warnings.push({ level: "Warning", code: 1105,
        message: `distributed transaction ${dtid} committed; participants to be resolved: ${failed.join("; ")}` });
      return;
    }
    await mmConn.concludeTransaction(targetOf(mm), dtid).catch(() => undefined);
  }

  private async abortTwoPc(mm: ShardSession, rest: readonly ShardSession[], dtid: string): Promise<void> {
    await this.conn(mm).setRollback(targetOf(mm), dtid, mm.transactionId).catch(() => undefined);
    const results = await Promise.all(rest.map((ss) =>
      this.conn(ss).rollbackPrepared(targetOf(ss), dtid, ss.transactionId).then(() => true, () => false)));
    if (results.every(Boolean)) await this.conn(mm).concludeTransaction(targetOf(mm), dtid).catch(() => undefined);
  }

  private async rollbackAll(sessions: readonly ShardSession[]): Promise<void> {
    await Promise.all(sessions.map(async (ss) => {
      const th = this.o.gateway.all().find((t) => t.alias === ss.tabletAlias);
      await th?.conn.rollback(targetOf(ss), ss.transactionId).catch(() => undefined);
    }));
  }

  private conn(ss: ShardSession): QueryService {
    const th = this.o.gateway.all().find((t) => t.alias === ss.tabletAlias);
    if (!th) throw new SqlError(1105, "HY000", `transaction ${ss.transactionId}: tablet ${ss.tabletAlias} is gone`, "ABORTED");
    return th.conn;
  }

  private hook(session: Session, point: TwoPcCrashPoint): void {
    if (this.o.testHooks !== true) return;
    const v = session.userVars.get("vt_twopc_crash");
    if (v?.raw == null || new TextDecoder().decode(v.raw) !== point) return;
    (this.o.crash ?? (() => process.kill(process.pid, "SIGKILL")))();
  }
}

function noSavepoint(name: string): SqlError {
  return new SqlError(1305, "42000", `SAVEPOINT ${name} does not exist`, "NOT_FOUND");
}
