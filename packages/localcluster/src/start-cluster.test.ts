import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TabletType } from "@vt/proto/topodata";
import { Vtctld } from "@vt/proto/vtctlservice";
import { createClient } from "@vt/rpc";
import { createConnection } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./app-processes.js";
import { loadClusterSpec } from "./cluster-spec.js";
import { readClusterState } from "./cluster-state.js";
import { isAlive } from "./managed-process.js";
import { isPortOpen } from "./port-plan.js";
import { ClusterRunningError, startCluster, type LocalCluster } from "./start-cluster.js";

const isStub = (app: string): boolean => readFileSync(join(REPO_ROOT, "apps", app, "src", "main.ts"), "utf8").length < 200;
const tabletStub = isStub("vttablet");
const gateStub = isStub("vtgate");
const examples = fileURLToPath(new URL("../examples/", import.meta.url));

describe.skipIf(tabletStub)("startCluster (etcd, vtctld, 4 MariaDB + vttablets, vtgate)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "vt-lc-e2e-"));
  let cluster: LocalCluster;

  beforeAll(async () => {
    cluster = await startCluster(loadClusterSpec(join(examples, "local.json")), {
      dataDir, ports: "auto", vtgate: !gateStub, readyTimeoutMs: 90_000,
    });
  }, 240_000);

  afterAll(async () => {
    const state = readClusterState(dataDir);
    await cluster?.stop();
    if (state !== undefined) expect(state.processes.filter(isAlive)).toEqual([]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("uses free ports, not the local example's", () => {
    expect([cluster.gatePort, Number(cluster.etcdEndpoint.split(":")[1])]).not.toContain(15306);
    expect(cluster.etcdEndpoint).not.toContain(":2379");
    expect(cluster.tablets.map((t) => `${t.alias} ${t.shard} ${t.type}`)).toEqual([
      "zone1-0000000100 -80 primary", "zone1-0000000101 -80 replica",
      "zone1-0000000200 80- primary", "zone1-0000000201 80- replica",
    ]);
  });

  it("stores topo records in etcd at Vitess's paths", () => {
    const keys = execFileSync("etcdctl", ["--endpoints", cluster.etcdEndpoint, "get", "--prefix", "/vitess", "--keys-only"], {
      env: { ...process.env, ETCDCTL_API: "3" }, encoding: "utf8",
    });
    for (const k of [
      "/vitess/global/cells/zone1/CellInfo", "/vitess/global/keyspaces/commerce/Keyspace",
      "/vitess/global/keyspaces/commerce/shards/-80/Shard", "/vitess/global/keyspaces/commerce/VSchema",
      "/vitess/zone1/keyspaces/commerce/SrvKeyspace", "/vitess/zone1/SrvVSchema", "/vitess/zone1/tablets/zone1-0000000100/Tablet",
    ]) expect(keys).toContain(k);
  });

  it("answers vtctld GetTablets and GetVSchema", async () => {
    const c = createClient(Vtctld, cluster.ctldAddr, { defaultTimeoutMs: 10_000 });
    try {
      const r = await c.getTablets({ keyspace: "commerce" });
      expect(r.tablets.filter((t) => t.type === TabletType.PRIMARY)).toHaveLength(2);
      const vs = await c.getVSchema({ keyspace: "commerce" });
      expect(vs.vSchema?.vindexes["hash"]?.type).toBe("hash");
    } finally {
      c.close();
    }
  });

  it("applied the schema on primaries and replication carried it to replicas", async () => {
    for (const t of cluster.tablets) {
      const conn = await createConnection({ socketPath: t.mysqlSocket, user: "root", database: "commerce" });
      try {
        let tables: string[] = [];
        for (let i = 0; i < 50; i++) {
          const [rows] = await conn.query("SHOW TABLES");
          tables = (rows as Record<string, string>[]).map((r) => Object.values(r)[0]!).sort();
          if (tables.length >= 2) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(tables, t.alias).toEqual(["orders", "users"]);
      } finally {
        await conn.end();
      }
    }
  });

  it("works with the vtctldclient CLI (bin from the repo root)", () => {
    const vtc = (...args: string[]): string => execFileSync(process.execPath,
      [join(REPO_ROOT, "apps/vtctldclient/bin/vtctldclient.js"), "--server", cluster.ctldAddr, ...args],
      { cwd: REPO_ROOT, encoding: "utf8" });
    const lines = vtc("GetTablets", "--keyspace", "commerce").trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^zone1-0000000100 commerce -80 primary 127\.0\.0\.1:\d+ 127\.0\.0\.1:\d+ \[\] \S+$/);
    vtc("ApplySchema", "--sql", "CREATE TABLE cli_t (id BIGINT PRIMARY KEY)", "commerce");
    expect(vtc("GetSchema", "--table-names-only", "zone1-0000000200").trim().split("\n")).toContain("cli_t");
    expect(JSON.parse(vtc("ValidateKeyspace", "commerce")).results).toEqual([]);
  }, 60_000);

  it.skipIf(gateStub)("serves SELECT 1 through vtgate", async () => {
    const conn = await createConnection({ host: "127.0.0.1", port: cluster.gatePort, user: "user" });
    const [rows] = await conn.query("SELECT 1 AS one");
    await conn.end();
    expect(rows).toEqual([{ one: 1 }]);
  });

  it("refuses to start a second cluster on the same data dir", async () => {
    await expect(startCluster(loadClusterSpec(join(examples, "local.json")), { dataDir, ports: "auto" }))
      .rejects.toBeInstanceOf(ClusterRunningError);
  });

  it("restarts a killed tablet", async () => {
    await cluster.killProcess("vttablet-zone1-0000000101");
    await cluster.restartProcess("vttablet-zone1-0000000101");
    expect(cluster.processNames()).toContain("vttablet-zone1-0000000101");
  });

  it("stop leaves no process and no listening port", async () => {
    const state = readClusterState(dataDir)!;
    await cluster.stop();
    expect(state.processes.filter(isAlive)).toEqual([]);
    const ports = [Number(cluster.etcdEndpoint.split(":")[1]), Number(cluster.ctldAddr.split(":")[1]),
      ...cluster.tablets.flatMap((t) => [t.grpcPort, t.mysqlPort])];
    for (const p of ports) expect(await isPortOpen(p), `port ${p}`).toBe(false);
  });
});
