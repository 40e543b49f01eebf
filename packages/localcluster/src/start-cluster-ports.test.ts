// startCluster against taken ports: a failed start leaves no process behind, and auto ports survive the race
// between picking a port and the child binding it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Vtctld } from "@vt/proto/vtctlservice";
import { createClient } from "@vt/rpc";
import { createConnection } from "mysql2/promise";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./app-processes.js";
import { parseClusterSpec, type ClusterSpec } from "./cluster-spec.js";
import { PortInUseError } from "./port-in-use-error.js";
import { canBind, pickFreePorts, type PortSource } from "./port-picker.js";
import { autoPortPlan, defaultPortSource, planPorts, portAt, type PortSlot } from "./port-plan.js";
import { AUTO_PORT_ATTEMPTS, startCluster } from "./start-cluster.js";

const isStub = (app: string): boolean => readFileSync(join(REPO_ROOT, "apps", app, "src", "main.ts"), "utf8").length < 200;
const schemaFile = fileURLToPath(new URL("../examples/commerce/schema.sql", import.meta.url));

const dirs: string[] = [];
const held: Server[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise<void>((res) => s.close(() => res()))));
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "vt-lc-ports-"));
  dirs.push(d);
  return d;
}

function specOf(dataDir: string, keyspace: object): ClusterSpec {
  return parseClusterSpec(JSON.stringify({ cells: ["zone1"], dataDir, keyspaces: [keyspace] }), { format: "json" });
}

/** Holds `port` on 127.0.0.1 until the test ends (what another program listening there looks like). */
async function hold(port: number): Promise<void> {
  const s = createServer();
  held.push(s);
  await new Promise<void>((res, rej) => {
    s.once("error", rej);
    s.listen(port, "127.0.0.1", () => res());
  });
}

/** Live (non-zombie) processes whose parent is this test process: every cluster process is one. */
function liveChildren(): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) !== process.pid || state === "Z") continue;
      out.push({ pid: Number(e), cmd: readFileSync(`/proc/${e}/cmdline`, "utf8").replaceAll("\0", " ").slice(0, 160) });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/**
 * A port source for `spec` that hands out `taken` for `slot` in the first plan (the rest from the default source);
 * with `always`, every later pick gets `taken` too (a port source that keeps giving a port somebody holds).
 */
async function sourceGiving(spec: ClusterSpec, slot: PortSlot, taken: number, always: boolean): Promise<PortSource> {
  // Where `slot` sits in the plan's port list: plan with ports 0..n-1 and read the slot back.
  const index = portAt(await autoPortPlan(spec, async (n) => Array.from({ length: n }, (_, i) => i)), slot);
  let first = true;
  return async (n, avoid) => {
    const ports = await defaultPortSource(n, new Set([...avoid, taken]));
    if (first) ports[index] = taken;
    else if (always) ports.fill(taken);
    first = false;
    return ports;
  };
}

describe.skipIf(isStub("vttablet"))("startCluster and taken ports", () => {
  it("fixed ports: a taken port fails the start with its number, and what was started is stopped", async () => {
    // Fixed ports from a base whose vtctld gRPC port (base+999) we hold; etcd (base+979/980) starts first.
    let base = 0;
    for (const p of await pickFreePorts(20)) {
      if (p - 999 >= 1024 && await canBind(p - 20) && await canBind(p - 19)) {
        base = p - 999;
        break;
      }
    }
    expect(base).toBeGreaterThan(0);
    await hold(base + 999);
    const lines: string[] = [];
    const before = liveChildren().map((c) => c.pid);
    const dataDir = tempDir();
    const err = await startCluster(specOf(dataDir, { name: "ks", tablets: ["primary"] }), {
      dataDir, ports: base, vtgate: false, log: (l) => lines.push(l),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as PortInUseError).message).toContain(`port ${base + 999} already in use`);
    expect((err as PortInUseError).processName).toBe("vtctld");
    expect(lines).toContain(`starting etcd (port ${base + 979}, ${base + 980})`);
    expect(liveChildren().filter((c) => !before.includes(c.pid))).toEqual([]);
    expect(await canBind(base + 979)).toBe(true);
  }, 120_000);

  it("a tablet that cannot start while another is starting: startCluster fails and no process is left", async () => {
    const dataDir = tempDir();
    const spec = specOf(dataDir, { name: "ks", sharded: true, shards: ["-80", "80-"], tablets: ["primary"] });
    const [taken] = await pickFreePorts(1);
    await hold(taken!);
    const lines: string[] = [];
    const before = liveChildren().map((c) => c.pid);
    const err = await startCluster(spec, {
      dataDir, ports: "auto", vtgate: false, log: (l) => lines.push(l),
      portSource: await sourceGiving(spec, "zone1-0000000100/grpc", taken!, true),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as Error).message).toContain(`vttablet-zone1-0000000100 cannot listen: port ${taken} in use, after ${AUTO_PORT_ATTEMPTS} tries`);
    // The other primary was being started when tablet 100 gave up.
    expect(lines.some((l) => l.startsWith("starting vttablet-zone1-0000000200 "))).toBe(true);
    expect(lines.filter((l) => l.startsWith("starting vttablet-zone1-0000000100"))).toEqual([]);
    expect(liveChildren().filter((c) => !before.includes(c.pid))).toEqual([]);
  }, 240_000);

  it.skipIf(isStub("vtgate"))("auto ports: ports taken before and after the check get fresh ones; the cluster serves", async () => {
    const dataDir = tempDir();
    const spec = specOf(dataDir, { name: "commerce", tablets: ["primary", "replica"], schema: schemaFile });
    // The primary's MariaDB port is held before the start (found by the check before the spawn) ...
    const [mysqlTaken] = await pickFreePorts(1);
    await hold(mysqlTaken!);
    // ... and the replica tablet's gRPC port is taken right after the check, before the vttablet binds it.
    let grpcTaken = 0;
    const lines: string[] = [];
    const log = (l: string): void => {
      lines.push(l);
      const m = /^starting vttablet-zone1-0000000101 \(port (\d+)\)$/.exec(l);
      if (m && grpcTaken === 0) {
        grpcTaken = Number(m[1]);
        const s = createServer();
        held.push(s);
        s.on("error", () => {});
        s.listen(grpcTaken); // binds synchronously (all addresses): the tablet, still starting, will find it taken
      }
    };
    const before = liveChildren().map((c) => c.pid);
    const cluster = await startCluster(spec, {
      dataDir, ports: "auto", log, portSource: await sourceGiving(spec, "zone1-0000000100/mysql", mysqlTaken!, false),
    });
    try {
      expect(lines).toContain(`mariadbd-zone1-0000000100: port ${mysqlTaken} taken by another process; trying again on fresh ports`);
      expect(lines).toContain(`vttablet-zone1-0000000101: port ${grpcTaken} taken by another process; trying again on fresh ports`);
      const [primary, replica] = cluster.tablets;
      expect(primary!.mysqlPort).not.toBe(mysqlTaken);
      expect(replica!.grpcPort).not.toBe(grpcTaken);
      expect(new Set(planPorts(cluster.ports)).size).toBe(planPorts(cluster.ports).length);

      // Topo has each tablet with the ports it really got.
      const ctl = createClient(Vtctld, cluster.ctldAddr, { defaultTimeoutMs: 10_000 });
      try {
        const r = await ctl.getTablets({ keyspace: "commerce" });
        const inTopo = r.tablets.map((t) => [t.alias?.uid, t.portMap["grpc"], t.mysqlPort]).sort();
        expect(inTopo).toEqual(cluster.tablets.map((t) => [Number(t.alias.slice(-3)), t.grpcPort, t.mysqlPort]).sort());
      } finally {
        ctl.close();
      }

      // Queries through vtgate reach the primary, and the replica replicates from the primary's new port.
      const c = await createConnection({ host: "127.0.0.1", port: cluster.gatePort, user: "user", database: "commerce" });
      try {
        await c.query("INSERT INTO users (user_id, name) VALUES (1, 'ann')");
        const [rows] = await c.query("SELECT name FROM users WHERE user_id = 1");
        expect(rows).toEqual([{ name: "ann" }]);
        await c.query("USE `commerce@replica`");
        let got: unknown;
        for (let i = 0; i < 100; i++) {
          [got] = await c.query("SELECT name FROM users WHERE user_id = 1");
          if ((got as unknown[]).length > 0) break;
          await new Promise((ok) => setTimeout(ok, 200));
        }
        expect(got).toEqual([{ name: "ann" }]);
      } finally {
        await c.end();
      }
    } finally {
      await cluster.stop();
    }
    expect(liveChildren().filter((c) => !before.includes(c.pid))).toEqual([]);
  }, 300_000);
});
