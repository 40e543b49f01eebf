// Sequences served by the unsharded keyspace's vttablet, end to end: vtgate fills auto_increment ids from
// `select next N values from customer_seq`, the tablet hands them out from cached blocks (cache 5 here so blocks
// run out often); ids stay unique under 8 concurrent clients and across a restart of that vttablet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import { connectGate, rows, startExampleCluster } from "./cluster.js";

let cluster: LocalCluster;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ cluster, cleanup } = await startExampleCluster("tests/e2e/src/sequence-cluster/spec.json"));
}, 180_000);

afterAll(async () => { await cleanup?.(); }, 60_000);

async function insertMany(client: number, n: number): Promise<void> {
  const c = await connectGate(cluster.gatePort, "customer");
  try {
    for (let i = 0; i < n; i++) await c.query(`insert into customer (email) values ('c${client}-${i}@x')`);
  } finally {
    await c.end();
  }
}

describe("sequences on the tablet through vtgate", () => {
  it("hands out unique ids to 8 concurrent clients and after a vttablet restart", async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => insertMany(i, 6)));
    const seq = cluster.tablets.find((t) => t.keyspace === "lookup")!;
    await cluster.restartProcess(`vttablet-${seq.alias}`);
    const c = await connectGate(cluster.gatePort, "customer");
    try {
      for (let i = 0; i < 20; i++) {
        const ok = await c.query("insert into customer (email) values ('after-restart')").then(() => true, () => false);
        if (ok) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      await Promise.all(Array.from({ length: 8 }, (_, i) => insertMany(100 + i, 3)));
      const ids = (await rows(c, "select customer_id from customer")).map((r) => Number(r[0]));
      expect(ids.length).toBe(8 * 6 + 1 + 8 * 3);
      expect(new Set(ids).size).toBe(ids.length);
      const next = await rows(c, "select next 2 values from lookup.customer_seq");
      expect(Number(next[0]![0])).toBeGreaterThan(Math.max(...ids));
    } finally {
      await c.end();
    }
  }, 120_000);
});
