import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { createConnection } from "mysql2/promise";
import type { ProcessSpec } from "./managed-process.js";
import { instancePaths, renderMyCnf } from "./my-cnf.js";

const run = promisify(execFile);

/** One tablet's MariaDB instance. */
export interface MariaDbOptions {
  /** `<dataDir>/vt_<uid padded to 10>` */
  readonly dir: string;
  readonly logDir: string;
  /** Process name, e.g. `mariadbd-zone1-0000000100`. */
  readonly name: string;
  readonly port: number;
  readonly serverId: number;
  readonly mariadbd?: string;
  readonly installDb?: string;
}

/** Directory of tablet `uid`'s MariaDB instance under the cluster's data dir (`vt_0000000100`). */
export function instanceDir(dataDir: string, uid: number): string {
  return join(dataDir, `vt_${String(uid).padStart(10, "0")}`);
}

/**
 * Writes my.cnf (always, so port changes apply) and runs mariadb-install-db if the datadir is new.
 * Returns true when the datadir was created now (first start of this instance).
 */
export async function prepareMariaDb(o: MariaDbOptions): Promise<boolean> {
  const p = instancePaths(o.dir);
  for (const d of [o.dir, p.tmp, p.binlogDir]) mkdirSync(d, { recursive: true });
  const user = process.getuid?.() === 0 ? "root" : undefined;
  writeFileSync(p.cnf, renderMyCnf({ dir: o.dir, port: o.port, serverId: o.serverId, ...(user ? { user } : {}) }));
  if (existsSync(join(p.data, "mysql"))) return false;
  await run(o.installDb ?? "mariadb-install-db", [
    `--defaults-file=${p.cnf}`, "--auth-root-authentication-method=normal", "--skip-test-db",
  ], { timeout: 120_000 });
  return true;
}

/** The process spec for the instance's mariadbd; ready once root can connect over the socket. */
export function mariaDbProcessSpec(o: MariaDbOptions): ProcessSpec {
  const p = instancePaths(o.dir);
  return {
    name: o.name,
    command: o.mariadbd ?? "/usr/sbin/mariadbd",
    args: [`--defaults-file=${p.cnf}`],
    logFile: join(o.logDir, `${o.name}.log`),
    errorLogFile: p.errorLog,
    ready: { kind: "probe", probe: () => canConnect(p.socket) },
  };
}

async function canConnect(socketPath: string): Promise<boolean> {
  try {
    const c = await createConnection({ socketPath, user: "root", connectTimeout: 1000 });
    await c.end();
    return true;
  } catch {
    return false;
  }
}
