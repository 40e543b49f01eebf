// The seed's hands-on lab, run for real: two shards, a hash vindex, queries routed by vtgate; plus the bad-input
// cases of the walking-skeleton issue (unknown table, syntax error, dead tablet) and a vtgate restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import type mysql from "mysql2/promise";
import { connectGate, rows, startExampleCluster } from "./cluster.js";

describe("seed lab on a real cluster", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let c: mysql.Connection;

  beforeAll(async () => {
    ({ cluster, cleanup } = await startExampleCluster());
    c = await connectGate(cluster.gatePort, "commerce");
  });
  afterAll(async () => {
    await c?.end().catch(() => {});
    await cleanup?.();
  });

  it("inserts the seed's users and orders (multi-row INSERT split per shard)", async () => {
    await c.query(`INSERT INTO users (user_id, name, email) VALUES (1,'Alice','alice@example.com'),(2,'Bob','bob@example.com'),
      (100,'Charlie','charlie@example.com'),(200,'Diana','diana@example.com')`);
    await c.query(`INSERT INTO orders (order_id, user_id, amount) VALUES (1001,1,99.99),(1002,1,49.99),(1003,2,149.99),(1004,100,199.99)`);
    expect(await rows(c, "SELECT name FROM users WHERE user_id = 1")).toEqual([["Alice"]]);
  });

  it("merges scatter COUNT and SUM", async () => {
    expect(await rows(c, "SELECT COUNT(*) FROM users")).toEqual([["4"]]);
    expect(await rows(c, "SELECT SUM(amount) FROM orders")).toEqual([["499.96"]]);
  });

  it("places rows by the hash vindex", async () => {
    expect(await rows(c, "SHOW VITESS_SHARDS")).toEqual([["commerce/-80"], ["commerce/80-"]]);
    const lo = await connectGate(cluster.gatePort);
    await lo.query("USE `commerce:-80`");
    expect(await rows(lo, "SELECT user_id FROM users ORDER BY user_id")).toEqual([["1"], ["2"]]);
    await lo.query("USE `commerce:80-`");
    expect(await rows(lo, "SELECT user_id FROM users ORDER BY user_id")).toEqual([["100"], ["200"]]);
    await lo.end();
  });

  it("updates and deletes by sharding key", async () => {
    await c.query("UPDATE users SET name = 'Alicia' WHERE user_id = 1");
    expect(await rows(c, "SELECT name FROM users WHERE user_id = 1")).toEqual([["Alicia"]]);
    await c.query("DELETE FROM orders WHERE user_id = 2");
    expect(await rows(c, "SELECT COUNT(*) FROM orders")).toEqual([["3"]]);
  });

  it("reads a write back from the replicas", async () => {
    const r = await connectGate(cluster.gatePort);
    await r.query("USE `commerce@replica`");
    let got: unknown;
    for (let i = 0; i < 50; i++) {
      got = await rows(r, "SELECT COUNT(*) FROM orders");
      if (JSON.stringify(got) === JSON.stringify([["3"]])) break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    expect(got).toEqual([["3"]]);
    const tablets = await rows(r, "SHOW VITESS_TABLETS");
    expect(tablets.filter((t) => t.includes("PRIMARY")).length).toBe(2);
    expect(tablets.filter((t) => t.includes("REPLICA")).length).toBe(2);
    await r.end();
  });

  it("answers an unknown table with 1146 and a syntax error with 1064, and keeps serving", async () => {
    await expect(c.query("SELECT * FROM no_such_table")).rejects.toMatchObject({ errno: 1146, sqlState: "42S02" });
    await expect(c.query("SELEC 1")).rejects.toMatchObject({ errno: 1064, sqlState: "42000" });
    expect(await rows(c, "SELECT COUNT(*) FROM users")).toEqual([["4"]]);
  });

  it("fails a query for a dead tablet with an error, and other shards keep serving", async () => {
    const name = cluster.processNames().find((n) => n.startsWith("vttablet-") && n.endsWith("0000000200"));
    expect(name).toBeDefined();
    await cluster.killProcess(name!);
    const err = await c.query("SELECT name FROM users WHERE user_id = 100").then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ errno: expect.any(Number), sqlState: expect.any(String) });
    expect(await rows(c, "SELECT name FROM users WHERE user_id = 1")).toEqual([["Alicia"]]);
    await cluster.restartProcess(name!);
    let back: unknown;
    for (let i = 0; i < 100; i++) {
      back = await rows(c, "SELECT name FROM users WHERE user_id = 100").catch((e: unknown) => e);
      if (Array.isArray(back)) break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    expect(back).toEqual([["Charlie"]]);
  });

  it("keeps every row when vtgate restarts", async () => {
    await c.end();
    await cluster.restartProcess("vtgate");
    c = await connectGate(cluster.gatePort, "commerce");
    expect(await rows(c, "SELECT COUNT(*) FROM users")).toEqual([["4"]]);
  });
});
