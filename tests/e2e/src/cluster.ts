// Shared helpers for the end-to-end tests: start the example cluster through the same launcher as `npm start`,
// on OS-assigned ports in a temp dir, and talk to vtgate with mysql2.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadClusterSpec, startCluster, type LocalCluster, type StartClusterOptions } from "@vt/localcluster";
import mysql from "mysql2/promise";

export const repoRoot = resolve(import.meta.dirname, "../../..");

/** Starts the example cluster (or `specFile`) on free ports in a fresh temp dir. */
export async function startExampleCluster(specFile = "packages/localcluster/examples/local.json",
  extra: Pick<StartClusterOptions, "vtgateArgs" | "vttabletArgs"> = {}): Promise<{ cluster: LocalCluster; dir: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "vt-e2e-"));
  const spec = loadClusterSpec(join(repoRoot, specFile), repoRoot);
  const cluster = await startCluster(spec, { dataDir: dir, ports: "auto", ...extra });
  return {
    cluster, dir,
    cleanup: async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A mysql2 connection to vtgate as user `user`, rows as arrays of strings (exact, no JS number conversion). */
export async function connectGate(port: number, database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: "127.0.0.1", port, user: "user", ...(database ? { database } : {}),
    supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, multipleStatements: true,
  });
}

/** Runs a query and returns rows as arrays of strings (null for NULL). */
export async function rows(c: mysql.Connection, sql: string): Promise<(string | null)[][]> {
  const [r] = await c.query({ sql, rowsAsArray: true, typeCast: (f, next) => { void next; const b = f.buffer(); return b === null ? null : b.toString("utf8"); } });
  return r as (string | null)[][];
}

/**
 * The differential tests' oracle: a fresh database `oracle` on the MariaDB of tablet `t`, outside every keyspace, so it
 * runs on the same server with the same settings as the shards it is compared with.
 */
export async function connectOracle(t: { mysqlPort: number }, opts: mysql.ConnectionOptions = {}): Promise<mysql.Connection> {
  const c = await mysql.createConnection({ host: "127.0.0.1", port: t.mysqlPort, user: "root", ...opts });
  await c.query("CREATE DATABASE oracle");
  await c.query("USE oracle");
  return c;
}
