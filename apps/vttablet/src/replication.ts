import type { DbConn } from "./db-conn.js";
import { quoteString, rowsAsObjects } from "./result-rows.js";

/** Where a replica replicates from, and as whom. */
export interface ReplicationSource {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** SHOW SLAVE STATUS as an object, or null when replication was never configured. */
export async function slaveStatus(db: DbConn): Promise<Record<string, string | null> | null> {
  const [r] = await db.query("SHOW SLAVE STATUS");
  return r === undefined ? null : rowsAsObjects(r)[0] ?? null;
}

/**
 * Points this MariaDB at `src` with GTID replication and starts it. Idempotent: when replication is already configured
 * for the same source it only runs START SLAVE. On a fresh instance (no GTIDs at all) gtid_slave_pos is reset to ''
 * so that replication starts from the primary's first transaction.
 */
export async function startReplicationFrom(db: DbConn, src: ReplicationSource): Promise<void> {
  const st = await slaveStatus(db);
  if (st !== null && st["Master_Host"] === src.host && Number(st["Master_Port"]) === src.port) {
    await db.query("START SLAVE");
    return;
  }
  if (st !== null) await db.query("STOP SLAVE");
  else await resetGtidIfFresh(db);
  await db.query(`CHANGE MASTER TO MASTER_HOST=${quoteString(src.host)}, MASTER_PORT=${src.port}, ` +
    `MASTER_USER=${quoteString(src.user)}, MASTER_PASSWORD=${quoteString(src.password)}, ` +
    "MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1");
  await db.query("START SLAVE");
}

async function resetGtidIfFresh(db: DbConn): Promise<void> {
  const [r] = await db.query("SELECT @@GLOBAL.gtid_slave_pos AS slave_pos, @@GLOBAL.gtid_binlog_pos AS binlog_pos");
  const row = r ? rowsAsObjects(r)[0] : undefined;
  if ((row?.["slave_pos"] ?? "") === "" && (row?.["binlog_pos"] ?? "") === "") await db.query("SET GLOBAL gtid_slave_pos=''");
}

/**
 * Replication lag for health: Seconds_Behind_Master, or an error text when replication is not configured or one of
 * its threads is stopped (with the last IO/SQL error when there is one).
 */
export async function replicationLag(db: DbConn): Promise<{ lagSeconds: number; error: string }> {
  const st = await slaveStatus(db);
  if (st === null) return { lagSeconds: 0, error: "replication is not configured" };
  if (st["Slave_IO_Running"] !== "Yes" || st["Slave_SQL_Running"] !== "Yes") {
    const why = st["Last_IO_Error"] || st["Last_SQL_Error"] || `IO: ${st["Slave_IO_Running"]}, SQL: ${st["Slave_SQL_Running"]}`;
    return { lagSeconds: 0, error: `replication is not running: ${why}` };
  }
  return { lagSeconds: Number(st["Seconds_Behind_Master"] ?? 0), error: "" };
}
