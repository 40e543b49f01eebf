// Schema tracking on a real cluster (unsharded `main`, sharded `commerce`): vttablets report changed tables in
// StreamHealth (realtime_stats.table_schema_changed) after DDL, vtgate loads them with GetSchema and merges them
// into the VSchema. Tracked tables of an unsharded keyspace become VSchema tables (SHOW VSCHEMA TABLES, global
// routing); a sharded keyspace never gains tables it does not list; dropped tables disappear.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import type mysql from "mysql2/promise";
import { connectGate, rows, startExampleCluster } from "./cluster.js";

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

describe("schema tracking", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let c: mysql.Connection;
  const vschemaTables = async (ks: string) => {
    await c.query(`USE ${ks}`);
    return (await rows(c, "SHOW VSCHEMA TABLES")).map((r) => r[0]);
  };

  beforeAll(async () => {
    ({ cluster, cleanup } = await startExampleCluster("tests/e2e/src/schema-cluster/spec.json"));
    c = await connectGate(cluster.gatePort);
  }, 180_000);
  afterAll(async () => {
    await c?.end().catch(() => {});
    await cleanup?.();
  });

  it("loads an unsharded keyspace's tables at startup (its VSchema lists none)", async () => {
    expect(await until("main.item tracked", () => vschemaTables("main"), (t) => t.includes("item"))).toEqual(["dual", "item"]);
    expect(await vschemaTables("commerce")).toEqual(["dual", "orders", "pinned", "users"]);
  });

  it("notices CREATE/DROP TABLE through vtgate; a sharded keyspace gains no tables", async () => {
    await c.query("CREATE TABLE commerce.unlisted (id bigint primary key)");
    await c.query("CREATE TABLE main.fresh (id bigint primary key, note varchar(10))");
    await until("main.fresh tracked", () => vschemaTables("main"), (t) => t.includes("fresh"));
    expect(await vschemaTables("commerce")).not.toContain("unlisted");
    // Globally routable now: unqualified, with no keyspace selected.
    const fresh = await connectGate(cluster.gatePort);
    try {
      await fresh.query("INSERT INTO main.fresh (id, note) VALUES (1, 'x')");
      expect(await rows(fresh, "SELECT note FROM fresh")).toEqual([["x"]]);
    } finally {
      await fresh.end();
    }
    await c.query("DROP TABLE main.fresh");
    await until("main.fresh dropped", () => vschemaTables("main"), (t) => !t.includes("fresh"));
  });
});
