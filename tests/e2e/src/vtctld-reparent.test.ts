// PlannedReparentShard and EmergencyReparentShard through vtctldclient on a real cluster: the shard record and tablet
// types move, MariaDB replication follows the new primary, and vtgate sends writes to it without a restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import type mysql from "mysql2/promise";
import { connectGate, rows, startExampleCluster } from "./cluster.js";
import { ctl, vtctldclient } from "./vtctldclient-cli.js";

const A100 = "zone1-0000000100";
const A101 = "zone1-0000000101";

async function eventually<T>(timeoutMs: number, probe: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (ok(v)) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("reparenting a shard", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let c: mysql.Connection;
  let s: string;
  const timings: Record<string, number> = {};
  const primaryOf = async (): Promise<number> => ((JSON.parse(await ctl(s, "GetShard", "commerce/-80")) as { shard: { primary_alias: { uid: number } } }).shard.primary_alias.uid);
  const types = async (): Promise<string[]> => (await ctl(s, "GetTablets", "--keyspace", "commerce", "--shard", "-80")).trim().split("\n").map((l) => l.split(" ").slice(0, 4).join(" "));
  const dbaValue = async (alias: string, sql: string): Promise<string> => {
    const r = JSON.parse(await ctl(s, "ExecuteFetchAsDBA", "--json", alias, sql)) as { rows: Record<string, unknown>[] | unknown[][] };
    const row = r.rows[0];
    return row === undefined ? "" : String(Array.isArray(row) ? row[0] : Object.values(row)[0]);
  };
  /** Inserts a row on -80 through vtgate, retrying while vtgate still knows only the old primary. */
  const insertVia = async (id: number, name: string): Promise<number> => {
    const t0 = Date.now();
    await eventually(15_000, () => c.query(`INSERT INTO users (user_id, name) VALUES (${id}, '${name}')`), () => true);
    return Date.now() - t0;
  };

  beforeAll(async () => {
    ({ cluster, cleanup } = await startExampleCluster());
    s = cluster.ctldAddr;
    c = await connectGate(cluster.gatePort, "commerce");
    await c.query("INSERT INTO users (user_id, name) VALUES (1, 'Alice')");
  });
  afterAll(async () => {
    console.log(`reparent timings (ms): ${JSON.stringify(timings)}`);
    await c?.end().catch(() => {});
    await cleanup?.();
  });

  it("PlannedReparentShard moves the primary to the named replica and back to the most advanced one", async () => {
    let t0 = Date.now();
    const out = await ctl(s, "PlannedReparentShard", "commerce/-80", "--new-primary", A101);
    timings.prs = Date.now() - t0;
    expect(out).toMatch(/promoting zone1-0000000101/);
    expect(await primaryOf()).toBe(101);
    expect(await types()).toEqual([`${A100} commerce -80 replica`, `${A101} commerce -80 primary`]);
    expect(await dbaValue(A101, "SELECT @@read_only")).toBe("0");
    expect(await dbaValue(A100, "SELECT @@read_only")).toBe("1");
    timings.writeAfterPrs = await insertVia(2, "Bob");
    // The demoted primary replicates from the new one.
    await eventually(10_000, () => dbaValue(A100, "SELECT COUNT(*) FROM users"), (v) => v === "2");

    t0 = Date.now();
    await ctl(s, "PlannedReparentShard", "commerce/-80", "--avoid-primary", A101);
    timings.prsBack = Date.now() - t0;
    expect(await primaryOf()).toBe(100);
    await insertVia(3, "Carol");
    await eventually(10_000, () => dbaValue(A101, "SELECT COUNT(*) FROM users"), (v) => v === "3");
    // Already the primary: nothing to do.
    expect(await ctl(s, "PlannedReparentShard", "commerce/-80", "--new-primary", A100)).toMatch(/already the primary/);
    const wrong = await vtctldclient(s, "PlannedReparentShard", "commerce/-80", "--expected-primary", A101);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/not the expected/);
  });

  it("EmergencyReparentShard promotes the replica when the primary is dead", async () => {
    await cluster.killProcess(`vttablet-${A100}`);
    await cluster.killProcess(`mariadbd-${A100}`);
    const t0 = Date.now();
    const out = await ctl(s, "EmergencyReparentShard", "commerce/-80", "--wait-replicas-timeout", "5s");
    timings.ers = Date.now() - t0;
    expect(out).toMatch(/promoting zone1-0000000101/);
    expect(await primaryOf()).toBe(101);
    expect(await dbaValue(A101, "SELECT @@read_only")).toBe("0");
    timings.writeAfterErs = await insertVia(4, "Dave");
    expect(await rows(c, "SELECT COUNT(*) FROM users WHERE user_id IN (1, 2, 3, 4)")).toEqual([["4"]]);
  });

  it("the old primary restarted with --init_tablet_type=primary comes back as a replica of the new primary", async () => {
    await cluster.restartProcess(`mariadbd-${A100}`);
    const t0 = Date.now();
    await cluster.restartProcess(`vttablet-${A100}`);
    timings.oldPrimaryRejoin = Date.now() - t0;
    expect(await primaryOf()).toBe(101);
    expect(await types()).toEqual([`${A100} commerce -80 replica`, `${A101} commerce -80 primary`]);
    // vtctld may still hold a connection to the tablet's previous process for a moment: retry the admin call.
    await eventually(15_000, () => dbaValue(A100, "SELECT @@read_only"), (v) => v === "1");
    // It catches up from its own binlog position (nothing replayed twice, nothing missing) and keeps following.
    // user_id 4 hashes to 80-: -80 holds 1, 2, 3; Eve (5) goes to -80 through the new primary.
    await eventually(15_000, () => dbaValue(A100, "SELECT COUNT(*) FROM users"), (v) => v === "3");
    await insertVia(5, "Eve");
    await eventually(15_000, () => dbaValue(A100, "SELECT COUNT(*) FROM users"), (v) => v === "4");
    expect(await dbaValue(A100, "SELECT GROUP_CONCAT(user_id ORDER BY user_id) FROM users")).toBe("1,2,3,5");
    expect(await rows(c, "SELECT COUNT(*) FROM users WHERE user_id IN (1, 2, 3, 4, 5)")).toEqual([["5"]]);
  });
});
