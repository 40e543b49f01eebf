// Sequences served by the unsharded keyspace's vttablet, end to end: vtgate fills auto_increment ids from
// `select next N values from customer_seq`, the tablet hands them out from cached blocks (cache 5 here so blocks
// run out often); ids stay unique under 8 concurrent clients and unique and increasing across a restart of vtgate
// (which caches nothing: the tablet keeps the sequence state) and of that vttablet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import { connectGate, rows, startExampleCluster } from "./cluster.js";

let cluster: LocalCluster;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ cluster, cleanup } = await startExampleCluster("tests/e2e/src/sequence-cluster/spec.json"));
}, 180_000);

afterAll(async () => { await cleanup?.(); }, 60_000);

async function insertMany(round: string, client: number, n: number): Promise<void> {
  const c = await connectGate(cluster.gatePort, "customer");
  try {
    for (let i = 0; i < n; i++) await c.query(`insert into customer (email) values ('${round}-c${client}-${i}@x')`);
  } finally {
    await c.end();
  }
}

/** Retries one insert until vtgate (or the sequence's tablet) serves again after a restart. */
async function insertWhenUp(email: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      const c = await connectGate(cluster.gatePort, "customer");
      try { await c.query(`insert into customer (email) values ('${email}')`); return; } finally { await c.end(); }
    } catch (e) {
      if (i >= 40) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** customer_id values of the rows whose email starts with `round-`. */
async function idsOf(round: string): Promise<number[]> {
  const c = await connectGate(cluster.gatePort, "customer");
  try {
    return (await rows(c, "select customer_id, email from customer")).filter((r) => r[1]!.startsWith(`${round}-`)).map((r) => Number(r[0]));
  } finally {
    await c.end();
  }
}

describe("sequences on the tablet through vtgate", () => {
  it("hands out unique ids to 8 concurrent clients, increasing across a vtgate restart and a vttablet restart", async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => insertMany("r1", i, 6)));
    const r1 = await idsOf("r1");
    expect(r1.length).toBe(8 * 6);

    await cluster.restartProcess("vtgate");
    await insertWhenUp("r2-first@x");
    await Promise.all(Array.from({ length: 8 }, (_, i) => insertMany("r2", i, 3)));
    const r2 = await idsOf("r2");
    expect(r2.length).toBe(1 + 8 * 3);
    expect(Math.min(...r2)).toBeGreaterThan(Math.max(...r1));

    const seq = cluster.tablets.find((t) => t.keyspace === "lookup")!;
    await cluster.restartProcess(`vttablet-${seq.alias}`);
    await insertWhenUp("r3-first@x");
    await Promise.all(Array.from({ length: 8 }, (_, i) => insertMany("r3", i, 3)));
    const r3 = await idsOf("r3");
    expect(r3.length).toBe(1 + 8 * 3);
    expect(Math.min(...r3)).toBeGreaterThan(Math.max(...r2));

    const all = [...r1, ...r2, ...r3];
    expect(new Set(all).size).toBe(all.length);
    const c = await connectGate(cluster.gatePort, "customer");
    try {
      const next = await rows(c, "select next 2 values from lookup.customer_seq");
      expect(Number(next[0]![0])).toBeGreaterThan(Math.max(...all));
    } finally {
      await c.end();
    }
  }, 150_000);
});
