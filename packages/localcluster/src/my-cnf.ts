import { join } from "node:path";

/** Inputs for one MariaDB instance's option file. */
export interface MyCnfOptions {
  /** Instance directory (`.vtdata/vt_0000000100`): holds data/, tmp/, binlog/, the socket and error.log. */
  readonly dir: string;
  readonly port: number;
  /** Unique per instance in a replication topology; the launcher uses the tablet uid. */
  readonly serverId: number;
  /** Run as this OS user (needed when the launcher runs as root). */
  readonly user?: string;
}

/** Paths inside an instance directory, as the launcher and vttablet use them. */
export function instancePaths(dir: string): {
  cnf: string; data: string; tmp: string; binlogDir: string; socket: string; pidFile: string; errorLog: string;
} {
  return {
    cnf: join(dir, "my.cnf"),
    data: join(dir, "data"),
    tmp: join(dir, "tmp"),
    binlogDir: join(dir, "binlog"),
    socket: join(dir, "mysql.sock"),
    pidFile: join(dir, "mysqld.pid"),
    errorLog: join(dir, "error.log"),
  };
}

/**
 * Renders a small-footprint my.cnf for a tablet's MariaDB: loopback only, its own tmpdir (parallel
 * mariadb-install-db needs it), binlog in ROW format with full metadata and GTID strict mode so replicas
 * and CDC work. Charset settings are left at MariaDB's defaults. Pass it with `--defaults-file` as the
 * first argument so /etc/mysql is not read.
 */
export function renderMyCnf(o: MyCnfOptions): string {
  const p = instancePaths(o.dir);
  const lines = [
    "[mariadbd]",
    `datadir=${p.data}`,
    `socket=${p.socket}`,
    `tmpdir=${p.tmp}`,
    `pid-file=${p.pidFile}`,
    `port=${o.port}`,
    "bind-address=127.0.0.1",
    `server_id=${o.serverId}`,
    ...(o.user !== undefined ? [`user=${o.user}`] : []),
    `log_error=${p.errorLog}`,
    "skip-name-resolve",
    // MariaDB's default size. With 16M, MariaDB 10.11.19 (Debian 12) kept evicting pages while most of the pool was
    // free (Innodb_buffer_pool_pages_lru_freed rising with ~800 of 1014 pages free): every other point select read
    // its page again, and the example cluster served half the QPS. Untouched pages cost no memory (RSS ~108 MB either way).
    "innodb_buffer_pool_size=128M",
    "innodb_log_file_size=8M",
    // A lock cycle across shards (tx A waits on shard 1 for tx B, B on shard 2 for A) is invisible to each MariaDB's
    // deadlock detector: only the lock wait timeout breaks it, as 1205 (clients retry the transaction). MariaDB's 50 s
    // default is longer than vttablet's 30 s transaction killer, which would end the transactions with an error instead.
    "innodb_lock_wait_timeout=2",
    "performance_schema=OFF",
    `log_bin=${join(p.binlogDir, "mysql-bin")}`,
    "binlog_format=ROW",
    "binlog_row_image=FULL",
    "binlog_row_metadata=FULL",
    "gtid_strict_mode=1",
    "log_slave_updates=1",
    "max_connections=500",
    "",
    "[client]",
    `socket=${p.socket}`,
    `port=${o.port}`,
    "",
  ];
  return lines.join("\n");
}
