import { describe, expect, it } from "vitest";
import type { Result } from "@vt/sqltypes";
import { ConnPool } from "./conn-pool.js";
import type { DbConn } from "./db-conn.js";

/** A pipelining connection whose queries finish when the test says so. */
class FakeConn implements DbConn {
  static next = 1;
  readonly threadId = FakeConn.next++;
  closed = false;
  readonly pipelines: boolean;
  readonly waiting: { sql: string; done: () => void }[] = [];
  constructor(pipelines = true) { this.pipelines = pipelines; }
  get pending(): number { return this.waiting.length; }
  query(sql: string): Promise<Result[]> {
    return new Promise((resolve) => {
      this.waiting.push({ sql, done: () => resolve([{ fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: sql }]) });
    });
  }
  finishAll(): void { for (const w of this.waiting.splice(0)) w.done(); }
  async *stream(): AsyncIterable<Result> { /* unused */ }
  close(): void { this.closed = true; }
}

const tick = () => new Promise((r) => setImmediate(r));

function pool(depth: number, pipelines = true): { p: ConnPool; conns: FakeConn[] } {
  const conns: FakeConn[] = [];
  const p = new ConnPool({
    name: "conn_pool", capacity: 8, waitTimeoutMs: 0, pipelineDepth: depth,
    factory: async () => { const c = new FakeConn(pipelines); conns.push(c); return c; },
  });
  return { p, conns };
}

describe("ConnPool.pipelined", () => {
  it("puts up to pipelineDepth calls of one turn on one idle connection and returns it when the last is answered", async () => {
    const { p, conns } = pool(3);
    // open two idle connections first
    await Promise.all([p.with(async () => tick()), p.with(async () => tick())]);
    expect(p.stats()).toMatchObject({ open: 2, idle: 2 });
    const calls = [1, 2, 3, 4].map((i) => p.pipelined((c) => c.query(`q${i}`)));
    const used = conns.filter((c) => c.pending > 0);
    expect(used.map((c) => c.waiting.map((w) => w.sql))).toEqual([["q4"], ["q1", "q2", "q3"]].sort((a, b) => a.length - b.length));
    expect(p.stats().idle).toBe(0);
    const big = used.find((c) => c.pending === 3)!;
    big.waiting.splice(0, 2).forEach((w) => w.done());
    await tick();
    expect(p.stats().idle).toBe(0); // q3 still runs on it
    big.finishAll();
    used.find((c) => c !== big)!.finishAll();
    expect((await Promise.all(calls)).map((r) => r[0]!.info)).toEqual(["q1", "q2", "q3", "q4"]);
    expect(p.stats()).toMatchObject({ open: 2, idle: 2 });
  });

  it("does not join a connection across turns, and falls back to with() when nothing is idle or pipelining is off", async () => {
    const { p, conns } = pool(4);
    await p.with(async () => tick());
    const first = p.pipelined((c) => c.query("a"));
    await tick();
    const second = p.pipelined((c) => c.query("b")); // next turn: the only connection is busy, so a new one opens
    await tick();
    expect(conns.map((c) => c.pending)).toEqual([1, 1]);
    conns.forEach((c) => c.finishAll());
    await Promise.all([first, second]);

    const off = pool(1);
    await off.p.with(async () => tick());
    const two = [off.p.pipelined((c) => c.query("x")), off.p.pipelined((c) => c.query("y"))];
    await tick();
    expect(off.conns.map((c) => c.pending)).toEqual([1, 1]);
    off.conns.forEach((c) => c.finishAll());
    await Promise.all(two);

    const mysql2Like = pool(4, false);
    await mysql2Like.p.with(async () => tick());
    const three = [mysql2Like.p.pipelined((c) => c.query("x")), mysql2Like.p.pipelined((c) => c.query("y"))];
    await tick();
    expect(mysql2Like.conns.map((c) => c.pending)).toEqual([1, 1]);
    mysql2Like.conns.forEach((c) => c.finishAll());
    await Promise.all(three);
  });
});
