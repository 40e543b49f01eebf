import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { afterAll, describe, expect, it } from "vitest";
import { etcdHealthy, etcdProcessSpec } from "./etcd-instance.js";
import { instanceDir, mariaDbProcessSpec, prepareMariaDb } from "./mariadb-instance.js";
import { isAlive, startProcess, stopProcess, type ProcessRecord } from "./managed-process.js";
import { instancePaths } from "./my-cnf.js";
import { getFreePorts, isPortOpen } from "./port-plan.js";

const dir = mkdtempSync(join(tmpdir(), "vt-lc-inst-"));
const started: ProcessRecord[] = [];
afterAll(async () => {
  for (const r of started) await stopProcess(r, 5000);
  rmSync(dir, { recursive: true, force: true });
});

describe("real instances", () => {
  it("starts etcd on free ports and stops it", async () => {
    const [clientPort, peerPort] = await getFreePorts(2);
    const r = await startProcess(etcdProcessSpec({ dataDir: dir, logDir: join(dir, "logs"), clientPort: clientPort!, peerPort: peerPort! }), 20_000);
    started.push(r);
    expect(await etcdHealthy(`http://127.0.0.1:${clientPort}`)).toBe(true);
    await stopProcess(r);
    expect(isAlive(r)).toBe(false);
    expect(await isPortOpen(clientPort!)).toBe(false);
  });

  it("installs a MariaDB datadir once, starts it with binlog+GTID, and stops it", async () => {
    const [port] = await getFreePorts(1);
    const o = { dir: instanceDir(dir, 100), logDir: join(dir, "logs"), name: "mariadbd-zone1-0000000100", port: port!, serverId: 100 };
    expect(await prepareMariaDb(o)).toBe(true);
    expect(await prepareMariaDb(o)).toBe(false);
    const r = await startProcess(mariaDbProcessSpec(o), 30_000);
    started.push(r);
    const c = await createConnection({ host: "127.0.0.1", port: port!, user: "root" });
    const [rows] = await c.query("SELECT @@server_id AS id, @@log_bin AS lb, @@binlog_format AS bf, @@gtid_strict_mode AS g");
    await c.end();
    expect(rows).toEqual([{ id: 100, lb: 1, bf: "ROW", g: 1 }]);
    await stopProcess(r);
    expect(await isPortOpen(port!)).toBe(false);
    expect(existsSync(instancePaths(o.dir).pidFile)).toBe(false);
    expect(readFileSync(join(o.dir, "my.cnf"), "utf8")).toContain(`port=${port}`);
  });
});
