import { create } from "@bufbuild/protobuf";
import { SqlError } from "@vt/errors";
import { PrimaryStatusSchema, StatusSchema, type PrimaryStatus, type Status } from "@vt/proto/replicationdata";
import type { DbConn } from "./db-conn.js";
import { formatPosition, parsePosition, positionAtLeast } from "./gtid-position.js";
import { slaveStatus, type ReplicationSource } from "./replication.js";
import { quoteString, rowsAsObjects } from "./result-rows.js";

/** Vitess's ReplicationState numbers for io_state/sql_state. */
const enum ReplicationState { Unknown = 0, Stopped = 1, Connecting = 2, Running = 3 }

const threadState = (v: string | null | undefined): number =>
  v === "Yes" ? ReplicationState.Running : v === "Connecting" ? ReplicationState.Connecting
    : v === "No" ? ReplicationState.Stopped : ReplicationState.Unknown;

async function globals(db: DbConn, names: readonly string[]): Promise<Record<string, string | null>> {
  const [r] = await db.query(`SELECT ${names.map((n) => `@@GLOBAL.${n} AS ${n}`).join(", ")}`);
  return (r ? rowsAsObjects(r)[0] : undefined) ?? {};
}

/** Error of replication RPCs on an instance that has no replication configured (Vitess's ErrNotReplica text). */
export const notReplicaError = (): SqlError => new SqlError(1105, "HY000", "no replication status", "FAILED_PRECONDITION");

/** SHOW SLAVE STATUS as a replicationdata.Status (MariaDB GTID positions). Throws notReplicaError() on a non-replica. */
export async function replicationStatus(db: DbConn): Promise<Status> {
  const st = await slaveStatus(db);
  if (st === null) throw notReplicaError();
  // Gtid_Slave_Pos is only a column of SHOW ALL SLAVES STATUS; read the variable instead.
  const slavePos = (await globals(db, ["gtid_slave_pos"]))["gtid_slave_pos"] ?? "";
  const lag = st["Seconds_Behind_Master"];
  const filters = ["Replicate_Do_DB", "Replicate_Ignore_DB", "Replicate_Do_Table", "Replicate_Ignore_Table",
    "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table"].some((k) => (st[k] ?? "") !== "");
  return create(StatusSchema, {
    position: formatPosition(slavePos),
    replicationLagSeconds: lag == null ? 0 : Number(lag), replicationLagUnknown: lag == null,
    sourceHost: st["Master_Host"] ?? "", sourcePort: Number(st["Master_Port"] ?? 0), connectRetry: Number(st["Connect_Retry"] ?? 0),
    filePosition: `FilePos/${st["Relay_Master_Log_File"] ?? ""}:${st["Exec_Master_Log_Pos"] ?? 0}`,
    relayLogSourceBinlogEquivalentPosition: `FilePos/${st["Master_Log_File"] ?? ""}:${st["Read_Master_Log_Pos"] ?? 0}`,
    relayLogFilePosition: `${st["Relay_Log_File"] ?? ""}:${st["Relay_Log_Pos"] ?? 0}`,
    sourceServerId: Number(st["Master_Server_Id"] ?? 0), ioState: threadState(st["Slave_IO_Running"]),
    sqlState: threadState(st["Slave_SQL_Running"]), lastIoError: st["Last_IO_Error"] ?? "", lastSqlError: st["Last_SQL_Error"] ?? "",
    sourceUser: st["Master_User"] ?? "", sqlDelay: Number(st["SQL_Delay"] ?? 0),
    usingGtid: (st["Using_Gtid"] ?? "No") !== "No", autoPosition: (st["Using_Gtid"] ?? "No") !== "No",
    hasReplicationFilters: filters, sslAllowed: st["Master_SSL_Allowed"] === "Yes",
  });
}

/** This instance's binlog position ("MariaDB/<gtid_binlog_pos>"). */
export async function primaryPosition(db: DbConn): Promise<string> {
  return formatPosition((await globals(db, ["gtid_binlog_pos"]))["gtid_binlog_pos"] ?? "");
}

/** SHOW MASTER STATUS + gtid_binlog_pos as replicationdata.PrimaryStatus. */
export async function primaryStatus(db: DbConn): Promise<PrimaryStatus> {
  const [r] = await db.query("SHOW MASTER STATUS");
  const row = r ? rowsAsObjects(r)[0] : undefined;
  return create(PrimaryStatusSchema, {
    position: await primaryPosition(db),
    filePosition: row ? `FilePos/${row["File"] ?? ""}:${row["Position"] ?? 0}` : "",
  });
}

/**
 * Points replication at `src` with MASTER_USE_GTID=current_pos (so a demoted primary continues from its own binlog,
 * as Vitess's MariaDB flavor does), makes the instance read-only, and starts replication when `start`.
 */
export async function setReplicationSource(db: DbConn, src: ReplicationSource, start: boolean): Promise<void> {
  await db.query("STOP SLAVE");
  await db.query("SET GLOBAL read_only = 1");
  await db.query(`CHANGE MASTER TO MASTER_HOST=${quoteString(src.host)}, MASTER_PORT=${src.port}, ` +
    `MASTER_USER=${quoteString(src.user)}, MASTER_PASSWORD=${quoteString(src.password)}, ` +
    "MASTER_USE_GTID=current_pos, MASTER_CONNECT_RETRY=1");
  if (start) await db.query("START SLAVE");
}

/** Forgets the replication source and every GTID (Vitess's ResetReplication: RESET SLAVE ALL, RESET MASTER). */
export async function resetReplication(db: DbConn): Promise<void> {
  await db.query("STOP SLAVE");
  await db.query("RESET SLAVE ALL");
  await db.query("RESET MASTER");
  await db.query("SET GLOBAL gtid_slave_pos = ''");
}

/** Makes this instance a writable primary: replication stopped and its parameters reset; returns its position. */
export async function promoteToPrimary(db: DbConn): Promise<string> {
  await db.query("STOP SLAVE");
  await db.query("RESET SLAVE ALL");
  await db.query("SET GLOBAL read_only = 0");
  return primaryPosition(db);
}

/**
 * Waits until this instance has applied `position`: on a replica with MASTER_GTID_WAIT, on a primary by polling
 * gtid_binlog_pos. Throws DEADLINE_EXCEEDED after `timeoutMs`.
 */
export async function waitForPosition(db: DbConn, position: string, timeoutMs: number, isPrimary: boolean): Promise<void> {
  const want = parsePosition(position);
  if (want === "") return;
  const deadline = Date.now() + timeoutMs;
  if (!isPrimary) {
    const [r] = await db.query(`SELECT MASTER_GTID_WAIT(${quoteString(want)}, ${Math.max(0.001, timeoutMs / 1000)}) AS w`);
    if ((r ? rowsAsObjects(r)[0]?.["w"] : null) === "0") return;
  } else {
    for (;;) {
      const have = (await globals(db, ["gtid_binlog_pos"]))["gtid_binlog_pos"] ?? "";
      if (positionAtLeast(have, want)) return;
      if (Date.now() >= deadline) break;
      await new Promise((ok) => setTimeout(ok, 20));
    }
  }
  throw new SqlError(1105, "HY000", `timed out waiting for position ${position}`, "DEADLINE_EXCEEDED");
}
