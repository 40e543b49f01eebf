// Scatter guards and per-statement directives on a real 2-shard cluster whose vtgate runs with --no_scatter:
// scatter reads fail unless /*vt+ ALLOW_SCATTER */; MULTI_SHARD_AUTOCOMMIT makes a multi-shard INSERT non-atomic
// (the healthy shard keeps its row when another shard fails); SKIP_QUERY_PLAN_CACHE statements still answer; and
// with a dead tablet, /*vt+ SCATTER_ERRORS_AS_WARNINGS */ returns the live shard's rows plus a warning.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import type mysql from "mysql2/promise";
import { connectGate, rows, startExampleCluster } from "./cluster.js";

const errOf = async (p: Promise<unknown>): Promise<{ errno?: number; sqlState?: string; message: string }> => {
  try {
    await p;
  } catch (e) {
    return e as { errno?: number; sqlState?: string; message: string };
  }
  throw new Error("expected an error");
};

describe("scatter directives (--no_scatter vtgate)", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let c: mysql.Connection;

  beforeAll(async () => {
    ({ cluster, cleanup } = await startExampleCluster("tests/e2e/src/select-cluster/spec.json", { vtgateArgs: ["--no_scatter"] }));
    c = await connectGate(cluster.gatePort, "commerce");
    // hash vindex: 1, 2, 3, 5, 9 live on -80; 4, 6 on 80-.
    await c.query("INSERT INTO users (user_id, name) VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e'),(6,'f')");
  }, 180_000);
  afterAll(async () => {
    await c?.end().catch(() => {});
    await cleanup?.();
  });

  it("--no_scatter rejects a scatter read with Vitess's message; ALLOW_SCATTER and point reads pass", async () => {
    const e = await errOf(c.query("SELECT name FROM users"));
    expect(e.errno).toBe(1105);
    expect(e.message).toBe("plan includes scatter, which is disallowed using the `no_scatter` command line argument");
    expect(await rows(c, "SELECT /*vt+ ALLOW_SCATTER */ COUNT(*) FROM users")).toEqual([["6"]]);
    expect(await rows(c, "SELECT name FROM users WHERE user_id = 4")).toEqual([["d"]]);
    expect(await rows(c, "SELECT name FROM users WHERE user_id IN (1, 4) ORDER BY name")).toEqual([["a"], ["d"]]);
  });

  it("SKIP_QUERY_PLAN_CACHE statements plan and answer each time", async () => {
    for (let i = 0; i < 2; i++) {
      expect(await rows(c, "SELECT /*vt+ SKIP_QUERY_PLAN_CACHE */ name FROM users WHERE user_id = 2")).toEqual([["b"]]);
    }
  });

  it("a multi-shard INSERT is atomic by default; with MULTI_SHARD_AUTOCOMMIT the healthy shard keeps its row", async () => {
    const dup = await errOf(c.query("INSERT INTO users (user_id, name) VALUES (9,'i'),(4,'dup')"));
    expect(dup.errno).toBe(1062);
    expect(await rows(c, "SELECT name FROM users WHERE user_id = 9")).toEqual([]);
    const dup2 = await errOf(c.query("INSERT /*vt+ MULTI_SHARD_AUTOCOMMIT=1 */ INTO users (user_id, name) VALUES (9,'i'),(4,'dup')"));
    expect(dup2.errno).toBe(1062);
    expect(await rows(c, "SELECT name FROM users WHERE user_id = 9")).toEqual([["i"]]);
    expect(await rows(c, "SELECT name FROM users WHERE user_id = 4")).toEqual([["d"]]);
  });

  it("SCATTER_ERRORS_AS_WARNINGS: with the 80- tablet dead, the -80 rows come back and SHOW WARNINGS names the failure", async () => {
    const dead = cluster.tablets.find((t) => t.shard === "80-")!;
    await cluster.killProcess(`vttablet-${dead.alias}`);
    // Until vtgate's health check notices, a call to the dead tablet fails as a lost connection (2013, vtrpc
    // UNAVAILABLE); afterwards the shard has no healthy tablet (1105). Either way the plain query fails.
    let plain = await errOf(c.query("SELECT /*vt+ ALLOW_SCATTER */ user_id FROM users"));
    for (let i = 0; i < 100 && plain.errno === 2013; i++) {
      await new Promise((r) => setTimeout(r, 100));
      plain = await errOf(c.query("SELECT /*vt+ ALLOW_SCATTER */ user_id FROM users"));
    }
    expect(plain.errno).toBe(1105);
    const got = await rows(c, "SELECT /*vt+ ALLOW_SCATTER SCATTER_ERRORS_AS_WARNINGS */ user_id FROM users ORDER BY user_id");
    expect(got).toEqual([["1"], ["2"], ["3"], ["5"], ["9"]]);
    const warnings = await rows(c, "SHOW WARNINGS");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]![0]).toBe("Warning");
    expect(warnings[0]![1]).toBe("1105");
    expect(warnings[0]![2]).toContain("80-");
    // Every shard failing is still an error; a point read on the live shard is unaffected.
    const all = await errOf(c.query("SELECT /*vt+ SCATTER_ERRORS_AS_WARNINGS */ name FROM users WHERE user_id IN (4, 6)"));
    expect(all.errno).toBe(1105);
    expect(await rows(c, "SELECT name FROM users WHERE user_id = 1")).toEqual([["a"]]);
  });
});
