import type { DbConn } from "./db-conn.js";
import { quoteIdent, quoteString } from "./result-rows.js";

/**
 * Prepares the MariaDB of a PRIMARY tablet: writable, the tablet's database present, and the replication user
 * (REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR) created. All statements are idempotent.
 */
export async function initPrimaryMysql(db: DbConn, dbName: string, replUser: string, replPassword: string): Promise<void> {
  const user = `${quoteString(replUser)}@'%'`;
  await db.query("SET GLOBAL read_only = 0");
  await db.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(dbName)}`);
  await db.query(`CREATE USER IF NOT EXISTS ${user} IDENTIFIED BY ${quoteString(replPassword)}`);
  await db.query(`GRANT REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR ON *.* TO ${user}`);
}

/**
 * Prepares the MariaDB of a REPLICA/RDONLY tablet: read-only, and the tablet's database present locally (created
 * without binlogging so the replica mints no GTIDs of its own; the primary's CREATE DATABASE IF NOT EXISTS replicates
 * over it harmlessly).
 */
export async function initReplicaMysql(db: DbConn, dbName: string): Promise<void> {
  await db.query("SET GLOBAL read_only = 1");
  await db.query(`SET SESSION sql_log_bin = 0; CREATE DATABASE IF NOT EXISTS ${quoteIdent(dbName)}; SET SESSION sql_log_bin = 1`);
}
