import { SqlError } from "@vt/errors";
import type { ConnPool } from "./conn-pool.js";
import type { DbConn } from "./db-conn.js";
import { quoteString, rowsAsObjects } from "./result-rows.js";
import type { TxPool } from "./tx-pool.js";

/** query.TransactionState numbers, as stored in `_vt.dt_state.state`. */
export const DtState = { UNKNOWN: 0, PREPARE: 1, ROLLBACK: 2, COMMIT: 3 } as const;

/** A participant shard of a distributed transaction. */
export interface DtParticipant {
  readonly keyspace: string;
  readonly shard: string;
}

/** One distributed transaction as the metadata manager records it (query.TransactionMetadata). */
export interface DtMetadata {
  readonly dtid: string;
  readonly state: number;
  /** Unix nanoseconds. */
  readonly timeCreated: bigint;
  readonly participants: DtParticipant[];
}

/** Collaborators of a {@link TwoPc}. */
export interface TwoPcOptions {
  readonly txPool: TxPool;
  /** Admin connections: sidecar DDL, metadata writes in their own autocommit transactions, XA COMMIT/ROLLBACK of
   * prepared transactions whose connection is gone. */
  readonly dba: ConnPool;
  /** The app user of the transaction pool, granted DML on the sidecar tables (StartCommit updates dt_state). */
  readonly appUser: string;
  /** --twopc_abandon_age in ms: UnresolvedTransactions with age 0 lists transactions older than this. */
  readonly abandonAgeMs: number;
}

const SIDECAR_DDL = [
  "CREATE DATABASE IF NOT EXISTS _vt",
  "CREATE TABLE IF NOT EXISTS _vt.dt_state (dtid VARBINARY(512) NOT NULL PRIMARY KEY, state BIGINT NOT NULL, " +
    "time_created BIGINT NOT NULL, KEY time_created_idx (time_created)) ENGINE=InnoDB",
  "CREATE TABLE IF NOT EXISTS _vt.dt_participant (dtid VARBINARY(512) NOT NULL, id BIGINT NOT NULL, " +
    "keyspace VARCHAR(256) NOT NULL, shard VARCHAR(256) NOT NULL, PRIMARY KEY (dtid, id)) ENGINE=InnoDB",
  "CREATE TABLE IF NOT EXISTS _vt.redo_state (dtid VARBINARY(512) NOT NULL PRIMARY KEY, xid VARBINARY(128) NOT NULL, " +
    "time_created BIGINT NOT NULL) ENGINE=InnoDB",
];

const ER_NO_SUCH_TABLE = 1146;
const ER_XAER_NOTA = 1397;
const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Prepared {
  readonly xid: string;
  readonly conn: DbConn;
  readonly release: (reusable: boolean) => void;
}

/**
 * The tablet's side of two-phase commit, on MariaDB XA. A TWOPC shard transaction is opened as `XA START 'vt_<id>'`
 * (TxPool); Prepare runs `XA END; XA PREPARE` on its connection after recording dtid → xid in `_vt.redo_state`, and
 * keeps the connection (MariaDB detaches a prepared XA transaction when its connection closes and keeps it across
 * restarts, locks held); CommitPrepared / RollbackPrepared finish it on that connection, or — after a tablet restart —
 * on an admin connection by xid. As metadata manager (MM) the tablet keeps `_vt.dt_state` / `_vt.dt_participant`:
 * CreateTransaction writes them (state PREPARE) in their own transaction, StartCommit flips the state to COMMIT inside
 * the MM's own shard transaction and commits it (the commit decision and the MM's writes are one local commit),
 * SetRollback flips PREPARE → ROLLBACK, ConcludeTransaction deletes the record.
 */
export class TwoPc {
  private readonly prepared = new Map<string, Prepared>();
  private sidecar: Promise<void> | undefined;

  constructor(private readonly o: TwoPcOptions) {}

  /** Creates the `_vt` sidecar tables (once per process) and lets the app user write them. */
  ensureSidecar(): Promise<void> {
    this.sidecar ??= this.o.dba.with(async (c) => {
      for (const ddl of SIDECAR_DDL) await c.query(ddl);
      const grants = ["localhost", "127.0.0.1"].map((h) =>
        `GRANT SELECT, INSERT, UPDATE, DELETE ON _vt.* TO ${quoteString(this.o.appUser)}@${quoteString(h)}`);
      await c.query(`SET SESSION sql_log_bin = 0; ${grants.join("; ")}; SET SESSION sql_log_bin = 1`)
        .catch(() => undefined); // no such user (tests with root pools): nothing to grant
    }).catch((e: unknown) => {
      this.sidecar = undefined;
      throw e;
    });
    return this.sidecar;
  }

  /** MM: records a new distributed transaction in state PREPARE with its participants (committed at once). */
  async createTransaction(dtid: string, participants: readonly DtParticipant[]): Promise<void> {
    await this.ensureSidecar();
    const d = quoteString(dtid);
    const rows = participants.map((p, i) => `(${d}, ${i + 1}, ${quoteString(p.keyspace)}, ${quoteString(p.shard)})`);
    const sql = [`begin`, `insert into _vt.dt_state (dtid, state, time_created) values (${d}, ${DtState.PREPARE}, ${nowNs()})`,
      ...(rows.length > 0 ? [`insert into _vt.dt_participant (dtid, id, keyspace, shard) values ${rows.join(", ")}`] : []),
      "commit"];
    await this.o.dba.with(async (c) => {
      try {
        await c.query(sql.join("; "));
      } catch (e) {
        await c.query("rollback").catch(() => c.close());
        throw e;
      }
    });
  }

  /**
   * Participant: prepares open transaction `txId` as distributed transaction `dtid`. On failure the transaction is
   * rolled back (the redo record stays until RollbackPrepared clears it).
   */
  async prepare(txId: bigint, dtid: string): Promise<void> {
    const xid = this.o.txPool.xidOf(txId);
    if (xid === undefined) {
      throw new SqlError(1105, "HY000", `prepare ${dtid}: transaction ${txId} was not opened prepare-capable`, "FAILED_PRECONDITION");
    }
    await this.ensureSidecar();
    await this.o.dba.with((c) => c.query(
      `replace into _vt.redo_state (dtid, xid, time_created) values (${quoteString(dtid)}, ${quoteString(xid)}, ${nowNs()})`));
    const d = await this.o.txPool.detach(txId, `prepared as ${dtid}`);
    try {
      await d.conn.query(`xa end '${xid}'; xa prepare '${xid}'`);
    } catch (e) {
      await d.conn.query(`xa rollback '${xid}'`).catch(() => undefined);
      d.release(false);
      throw e;
    }
    this.prepared.set(dtid, { xid, conn: d.conn, release: d.release });
  }

  /** MM: marks `dtid` COMMIT inside transaction `txId` and commits it (fails if the state is no longer PREPARE). */
  async startCommit(txId: bigint, dtid: string): Promise<void> {
    const [r] = await this.o.txPool.run(txId, (c) =>
      c.query(`update _vt.dt_state set state = ${DtState.COMMIT} where dtid = ${quoteString(dtid)} and state = ${DtState.PREPARE}`));
    if (r?.rowsAffected !== 1n) {
      await this.o.txPool.rollback(txId).catch(() => undefined);
      throw new SqlError(1105, "HY000", `could not transition to COMMIT: ${dtid}`, "FAILED_PRECONDITION");
    }
    await this.o.txPool.commit(txId);
  }

  /** MM: marks `dtid` ROLLBACK (if still PREPARE) and rolls back transaction `txId` when non-zero. */
  async setRollback(dtid: string, txId: bigint): Promise<void> {
    if (txId !== 0n) await this.o.txPool.rollback(txId).catch(() => undefined);
    await this.o.dba.with((c) => c.query(
      `update _vt.dt_state set state = ${DtState.ROLLBACK} where dtid = ${quoteString(dtid)} and state = ${DtState.PREPARE}`));
  }

  /** Participant: commits prepared `dtid` (a no-op when it is not, or no longer, prepared here). */
  commitPrepared(dtid: string): Promise<void> {
    return this.finishPrepared(dtid, "commit");
  }

  /** Participant: rolls back prepared `dtid`, or open transaction `txId` if it never got prepared. */
  async rollbackPrepared(dtid: string, txId: bigint): Promise<void> {
    if (txId !== 0n && !this.prepared.has(dtid)) await this.o.txPool.rollback(txId).catch(() => undefined);
    await this.finishPrepared(dtid, "rollback");
  }

  /** MM: forgets `dtid`. */
  async concludeTransaction(dtid: string): Promise<void> {
    const d = quoteString(dtid);
    await this.ignoreNoTable(this.o.dba.with((c) => c.query(
      `delete from _vt.dt_participant where dtid = ${d}; delete from _vt.dt_state where dtid = ${d}`)), []);
  }

  /** MM: the record of `dtid`, or undefined. */
  async readTransaction(dtid: string): Promise<DtMetadata | undefined> {
    const list = await this.read(`where s.dtid = ${quoteString(dtid)}`);
    return list[0];
  }

  /** MM: distributed transactions older than `ageMs` (0: --twopc_abandon_age), oldest first. */
  unresolvedTransactions(ageMs = 0): Promise<DtMetadata[]> {
    const cutoff = nowNs() - BigInt(Math.round(ageMs > 0 ? ageMs : this.o.abandonAgeMs)) * 1_000_000n;
    return this.read(`where s.time_created < ${cutoff}`);
  }

  /** Drops the connections holding prepared transactions (they stay prepared in MariaDB). */
  close(): void {
    for (const p of this.prepared.values()) p.conn.close();
    this.prepared.clear();
  }

  private async read(where: string): Promise<DtMetadata[]> {
    const r = await this.ignoreNoTable(this.o.dba.with((c) => c.query(
      `select s.dtid, s.state, s.time_created, p.keyspace, p.shard from _vt.dt_state s ` +
      `left join _vt.dt_participant p on p.dtid = s.dtid ${where} order by s.time_created, s.dtid, p.id`)), []);
    const out = new Map<string, DtMetadata>();
    for (const row of r[0] ? rowsAsObjects(r[0]) : []) {
      const dtid = row["dtid"] ?? "";
      let m = out.get(dtid);
      if (m === undefined) {
        m = { dtid, state: Number(row["state"]), timeCreated: BigInt(row["time_created"] ?? "0"), participants: [] };
        out.set(dtid, m);
      }
      if (row["keyspace"] != null) m.participants.push({ keyspace: row["keyspace"], shard: row["shard"] ?? "" });
    }
    return [...out.values()];
  }

  private async finishPrepared(dtid: string, how: "commit" | "rollback"): Promise<void> {
    const held = this.prepared.get(dtid);
    const forget = () => this.o.dba.with((c) => c.query(`delete from _vt.redo_state where dtid = ${quoteString(dtid)}`));
    if (held !== undefined) {
      this.prepared.delete(dtid);
      try {
        await held.conn.query(`xa ${how} '${held.xid}'`);
        held.release(true);
        await forget();
        return;
      } catch {
        held.release(false); // the XA transaction detaches when its connection closes; finish it by xid below
      }
    }
    const rows = await this.ignoreNoTable(this.o.dba.with((c) =>
      c.query(`select xid from _vt.redo_state where dtid = ${quoteString(dtid)}`)), []);
    const xid = rows[0] ? rowsAsObjects(rows[0])[0]?.["xid"] : undefined;
    if (xid == null) return;
    await this.finishByXid(xid, how);
    await forget();
  }

  /**
   * XA COMMIT/ROLLBACK of a prepared transaction no connection of ours holds. XAER_NOTA means it is not prepared
   * (already finished) unless XA RECOVER still lists it (its old connection is still closing): then retry a while.
   */
  private async finishByXid(xid: string, how: "commit" | "rollback"): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.o.dba.with((c) => c.query(`xa ${how} ${quoteString(xid)}`));
        return;
      } catch (e) {
        const err = SqlError.from(e);
        if (err.errno !== ER_XAER_NOTA) throw err;
        const [rec] = await this.o.dba.with((c) => c.query("xa recover"));
        const listed = rec ? rowsAsObjects(rec).some((r) => r["data"] === xid) : false;
        if (!listed) return;
        if (attempt >= 20) throw err;
        await sleep(250);
      }
    }
  }

  private async ignoreNoTable<T>(p: Promise<T>, fallback: T): Promise<T> {
    try {
      return await p;
    } catch (e) {
      if (SqlError.from(e).errno === ER_NO_SUCH_TABLE) return fallback;
      throw e;
    }
  }
}
