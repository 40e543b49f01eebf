// vtgate follows topo without restarts (issue 6): VSchema and routing-rule changes reach it through watches within
// about a second, it keeps serving with the last good VSchema while etcd is down and picks changes up again once etcd
// is back; a killed replica tablet stays in topo but stops getting reads until it returns.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import type mysql from "mysql2/promise";
import { connectGate, rows, startExampleCluster } from "./cluster.js";
import { ctl } from "./vtctldclient-cli.js";

/** Polls `probe` every 50 ms until it returns true; resolves with the time it took, rejects after `timeoutMs`. */
async function within(timeoutMs: number, probe: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < timeoutMs) {
    try {
      if (await probe()) return Date.now() - t0;
    } catch (e) {
      last = e;
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`not within ${timeoutMs} ms (last error: ${String((last as Error | undefined)?.message ?? last)})`);
}

const ok = async (p: Promise<unknown>): Promise<boolean> => { await p; return true; };

const ITEMS_VSCHEMA = (vindex: string): string => JSON.stringify({
  sharded: true,
  vindexes: { hash: { type: "hash" }, rb: { type: "reverse_bits" } },
  tables: {
    users: { column_vindexes: [{ column: "user_id", name: "hash" }] },
    orders: { column_vindexes: [{ column: "user_id", name: "hash" }] },
    items: { column_vindexes: [{ column: "id", name: vindex }] },
  },
});

describe("vtgate follows topo", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let c: mysql.Connection;
  let server: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    ({ cluster, cleanup } = await startExampleCluster());
    server = cluster.ctldAddr;
    c = await connectGate(cluster.gatePort, "commerce");
    await c.query("INSERT INTO users (user_id, name) VALUES (1,'Alice'),(2,'Bob'),(100,'Charlie'),(200,'Diana')");
    await ctl(server, "ApplySchema", "--sql", "CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20))", "commerce");
  });
  afterAll(async () => {
    console.log(`topo-watch timings (ms): ${JSON.stringify(timings)}`);
    await c?.end().catch(() => {});
    await cleanup?.();
  });

  it("routes by a vindex added with ApplyVSchema within about a second", async () => {
    await expect(c.query("SELECT v FROM items WHERE id = 1")).rejects.toThrow(/items/);
    await ctl(server, "ApplyVSchema", "--vschema", ITEMS_VSCHEMA("rb"), "commerce");
    timings.applyVSchema = await within(3000, () => ok(c.query("SELECT v FROM items WHERE id = 1")));
    expect(timings.applyVSchema).toBeLessThan(1500);
    // reverse_bits(1) = 0x80...: the row lands on 80-, where hash(1) would have put it on -80.
    await c.query("INSERT INTO items (id, v) VALUES (1, 'one')");
    const hi = await connectGate(cluster.gatePort, "commerce:80-");
    try {
      expect(await rows(hi, "SELECT id, v FROM items")).toEqual([["1", "one"]]);
    } finally {
      await hi.end();
    }
    expect(await rows(c, "SELECT v FROM items WHERE id = 1")).toEqual([["one"]]);
  });

  it("redirects a table through ApplyRoutingRules, and only for the tablet type named", async () => {
    await expect(c.query("SELECT name FROM legacy_users WHERE user_id = 1")).rejects.toThrow(/legacy_users/);
    await ctl(server, "ApplyRoutingRules", "--rules", JSON.stringify({
      rules: [
        { from_table: "commerce.legacy_users", to_tables: ["commerce.users"] },
        { from_table: "commerce.items@replica", to_tables: ["commerce.users"] },
      ],
    }));
    timings.applyRoutingRules = await within(3000, async () => JSON.stringify(await rows(c, "SELECT name FROM legacy_users WHERE user_id = 1")) === '[["Alice"]]');
    expect(timings.applyRoutingRules).toBeLessThan(1500);
    expect(await rows(c, "SELECT legacy_users.name FROM legacy_users ORDER BY user_id")).toEqual([["Alice"], ["Bob"], ["Charlie"], ["Diana"]]);
    // items@replica → users: a replica session reading items sees users' rows; primary sessions still see items.
    const r = await connectGate(cluster.gatePort, "commerce@replica");
    try {
      await within(5000, async () => (await rows(r, "SELECT COUNT(*) FROM items"))[0]![0] === "4");
    } finally {
      await r.end();
    }
    expect(await rows(c, "SELECT COUNT(*) FROM items")).toEqual([["1"]]);
  });

  it("keeps serving while etcd is down, then picks changes up again", async () => {
    await cluster.killProcess("etcd");
    try {
      // Give watches time to notice the outage, then check both old and new connections still work.
      await new Promise((okay) => setTimeout(okay, 1500));
      expect(await rows(c, "SELECT v FROM items WHERE id = 1")).toEqual([["one"]]);
      expect(await rows(c, "SELECT name FROM legacy_users WHERE user_id = 2")).toEqual([["Bob"]]);
      const fresh = await connectGate(cluster.gatePort, "commerce");
      try {
        expect(await rows(fresh, "SELECT COUNT(*) FROM users")).toEqual([["4"]]);
      } finally {
        await fresh.end();
      }
    } finally {
      await cluster.restartProcess("etcd");
    }
    await ctl(server, "ApplyRoutingRules", "--rules", JSON.stringify({ rules: [] }));
    timings.afterEtcdRestart = await within(10_000, () => c.query("SELECT name FROM legacy_users WHERE user_id = 1").then(() => false, () => true));
    expect(timings.afterEtcdRestart).toBeLessThan(5000);
    await ctl(server, "ApplyVSchema", "--vschema", ITEMS_VSCHEMA("hash"), "commerce");
    // hash(1) is on -80, where there is no row: the new vindex routes the point query there.
    timings.vschemaAfterEtcdRestart = await within(10_000, async () => (await rows(c, "SELECT v FROM items WHERE id = 1")).length === 0);
  });

  it("stops reading from a killed replica and resumes when it is back", async () => {
    const alias = "zone1-0000000101";
    const r = await connectGate(cluster.gatePort, "commerce@replica");
    try {
      await within(5000, async () => (await rows(r, "SELECT COUNT(*) FROM users"))[0]![0] === "4");
      await cluster.killProcess(`vttablet-${alias}`);
      const listed = await ctl(server, "GetTablets", "--keyspace", "commerce", "--shard", "-80");
      expect(listed).toContain(alias);
      // Queries needing -80 replicas now fail fast with a clear error instead of hanging.
      timings.replicaDownDetected = await within(5000, () => r.query("SELECT COUNT(*) FROM users").then(() => false, () => true));
      const t0 = Date.now();
      await expect(r.query("SELECT COUNT(*) FROM users")).rejects.toThrow(/no healthy tablet|commerce.-80.replica/);
      timings.failFast = Date.now() - t0;
      expect(timings.failFast).toBeLessThan(1000);
      // The other shard's replica still serves.
      expect(await rows(r, "SELECT name FROM users WHERE user_id = 100")).toEqual([["Charlie"]]);
      await cluster.restartProcess(`vttablet-${alias}`);
      timings.replicaBack = await within(15_000, async () => (await rows(r, "SELECT COUNT(*) FROM users"))[0]![0] === "4");
    } finally {
      await r.end();
    }
  });
});
