// @vt/testkit/mariadb: start a throw-away MariaDB instance (mariadb-install-db + mariadbd) in a temp dir for tests.
// Each instance gets its own datadir, tmpdir (parallel installs collide on /tmp otherwise), socket, binlog with GTIDs,
// and a port picked by the OS unless one is given. Root has no password over the socket and 127.0.0.1.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import { freePort } from "@vt/topo/testing";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Options for {@link startMariaDb}. All optional. */
export interface MariaDbOptions {
  /** Instance directory; created if missing. Default: a fresh temp dir, removed by stop(). */
  dir?: string;
  /** TCP port on 127.0.0.1. Default (or 0): a free port chosen by the OS. */
  port?: number;
  /** server_id; default derived from the port. Replication needs distinct ids. */
  serverId?: number;
  /** Extra `key=value` lines for the [mariadbd] section. */
  extraConfig?: string[];
  /** Milliseconds to wait for the server to accept connections. Default 30000. */
  startTimeoutMs?: number;
}

/** A running MariaDB instance. */
export interface MariaDb {
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  readonly socket: string;
  readonly serverId: number;
  readonly pid: number;
  /** SIGTERM, wait for exit (SIGKILL after 10 s), and remove the dir if it was a temp dir we made. */
  stop(): Promise<void>;
}

/** Finds a free TCP port on 127.0.0.1 (shared with the topo test helpers). */
export { freePort };

// The buffer pool is MariaDB's default size, as in the launcher's my.cnf: with 16M, MariaDB 10.11.19 kept evicting
// pages while most of the pool was free.
function myCnf(dir: string, port: number, serverId: number, extra: string[]): string {
  return [
    "[mariadbd]", `datadir=${dir}/data`, `socket=${dir}/mysql.sock`, `tmpdir=${dir}/tmp`, `pid-file=${dir}/mysqld.pid`,
    `port=${port}`, "bind-address=127.0.0.1", `server_id=${serverId}`, "user=root", `log_error=${dir}/error.log`,
    "skip-name-resolve", "innodb_buffer_pool_size=128M", "innodb_log_file_size=8M", "performance_schema=OFF",
    `log_bin=${dir}/binlog/mysql-bin`, "binlog_format=ROW", "binlog_row_image=FULL", "gtid_strict_mode=1",
    "log_slave_updates=1", "max_connections=500", ...extra, "",
  ].join("\n");
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.slice(-2000)}`))));
  });
}

/** Resolves true when a MySQL handshake packet (protocol version 10) arrives on port. */
function probe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: "127.0.0.1", port });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(1000, () => done(false));
    s.once("error", () => done(false));
    s.once("data", (d: Buffer) => done(d.length > 4 && d[4] === 10));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitReady(proc: ChildProcess, port: number, dir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`mariadbd exited with ${proc.exitCode}; see ${dir}/error.log`);
    if (await probe(port)) return;
    if (Date.now() > deadline) throw new Error(`mariadbd not ready after ${timeoutMs} ms; see ${dir}/error.log`);
    await sleep(30);
  }
}

function stopper(proc: ChildProcess, dir: string, removeDir: boolean): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((r) => proc.once("exit", () => r()));
        proc.kill("SIGTERM");
        const t = setTimeout(() => proc.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(t);
      }
      if (removeDir) await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
}

/**
 * Installs a fresh datadir (if `dir/data` is new) and starts mariadbd on 127.0.0.1.
 * Resolves once the server sends its handshake. Throws if install fails or the server exits or times out
 * (the error names the error.log path). Always call stop() (e.g. in afterAll).
 */
export async function startMariaDb(opts: MariaDbOptions = {}): Promise<MariaDb> {
  const removeDir = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), "vt-mariadb-")));
  const port = opts.port !== undefined && opts.port !== 0 ? opts.port : await freePort();
  const serverId = opts.serverId ?? port;
  await Promise.all(["data", "tmp", "binlog"].map((d) => mkdir(join(dir, d), { recursive: true })));
  const cnf = join(dir, "my.cnf");
  await writeFile(cnf, myCnf(dir, port, serverId, opts.extraConfig ?? []));
  await run("/usr/bin/mariadb-install-db", [
    `--defaults-file=${cnf}`, "--auth-root-authentication-method=normal", "--skip-test-db",
  ]);
  const proc = spawn("/usr/sbin/mariadbd", [`--defaults-file=${cnf}`], { stdio: "ignore" });
  const stop = stopper(proc, dir, removeDir);
  try {
    await waitReady(proc, port, dir, opts.startTimeoutMs ?? 30_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { dir, host: "127.0.0.1", port, socket: join(dir, "mysql.sock"), serverId, pid: proc.pid ?? 0, stop };
}
