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

/** Privileges of the app user on the tablet's database: DML and DDL, no SUPER (so read_only binds it). */
export const APP_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, " +
  "CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, TRIGGER, EVENT";

/**
 * Creates the app user (Vitess's `vt_app`) for the query, stream and transaction pools on this instance only
 * (sql_log_bin=0: users are per-instance, as Vitess's init_db.sql creates them on every mysqld), at `localhost`
 * (socket) and `127.0.0.1` (TCP), with {@link APP_PRIVILEGES} on `dbName`. Without SUPER/READ_ONLY ADMIN, MariaDB's
 * read_only rejects its writes on replicas with 1290/HY000. Idempotent.
 */
export async function createAppUser(db: DbConn, dbName: string, user: string, password: string): Promise<void> {
  const stmts = ["SET SESSION sql_log_bin = 0"];
  for (const host of ["localhost", "127.0.0.1"]) {
    const u = `${quoteString(user)}@${quoteString(host)}`;
    stmts.push(`CREATE USER IF NOT EXISTS ${u} IDENTIFIED BY ${quoteString(password)}`,
      `GRANT ${APP_PRIVILEGES} ON ${quoteIdent(dbName)}.* TO ${u}`);
  }
  stmts.push("SET SESSION sql_log_bin = 1");
  await db.query(stmts.join("; "));
}
