import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariaDb, type MariaDb } from "@vt/testkit/mariadb";
import { ConnPool } from "./conn-pool.js";
import { mariaDbConnFactory } from "./mariadb-conn.js";
import { TabletServer } from "./tablet-server.js";
import { TxPool } from "./tx-pool.js";

let db: MariaDb;
const servers: TabletServer[] = [];

beforeAll(async () => {
  db = await startMariaDb();
});

afterAll(async () => {
  for (const s of servers) await s.shutdown();
  await db?.stop();
});

/** A tablet server whose query pool pipelines up to 4 statements of one turn (the lean MariaDB client). */
async function server(): Promise<TabletServer> {
  const factory = mariaDbConnFactory({ host: db.host, port: db.port, user: "root", password: "" });
  const pool = (name: string, capacity: number, pipelineDepth = 1) => new ConnPool({ name, capacity, waitTimeoutMs: 0, factory, pipelineDepth });
  const s = new TabletServer({
    state: { keyspace: "ks", shard: "0", tabletType: 1, serving: true, primaryTermStartTime: 0 },
    queryPool: pool("conn_pool", 4, 4), streamPool: pool("stream_conn_pool", 1),
    txPool: new TxPool({ pool: pool("transaction_pool", 1), timeoutMs: 1500 }),
    maxResultSize: 10000, streamBufferSize: 1024,
  });
  servers.push(s);
  // Pipelining joins idle connections only: open the pool's four first.
  await Promise.all([1, 2, 3, 4].map(() => s.execute(undefined, "select 0", {}, 0n)));
  return s;
}

const SLOW = "select sleep(0.4) as slow";

/** Sends SLOW and then three fast queries in one turn; returns the order their answers came in. */
async function answerOrder(ts: TabletServer): Promise<string[]> {
  const order: string[] = [];
  const calls = [
    ts.execute(undefined, SLOW, {}, 0n).then(() => order.push("slow")),
    ...[1, 2, 3].map((i) => ts.execute(undefined, `select ${i} as fast`, {}, 0n).then(() => order.push(`fast${i}`))),
  ];
  await Promise.all(calls);
  return order;
}

describe("pipelining and slow query templates", () => {
  it("pipelines a template not yet known to be slow: the statements behind it wait for it", async () => {
    expect(await answerOrder(await server())).toEqual(["slow", "fast1", "fast2", "fast3"]);
  });

  it("keeps a template known to be slow off the shared connection, so the fast ones answer first", async () => {
    const ts = await server();
    await ts.execute(undefined, SLOW, {}, 0n); // learns that SLOW is slow
    expect(ts.latency.isSlow(SLOW)).toBe(true);
    const order = await answerOrder(ts);
    expect(order.indexOf("slow")).toBe(3);
  });
});
