import { describe, expect, it } from "vitest";
import type { Result } from "@vt/sqltypes";
import { ConnPool } from "./conn-pool.js";
import type { DbConn } from "./db-conn.js";
import { TxPool } from "./tx-pool.js";

/** A connection whose queries finish when the test says so, in order. */
class FakeConn implements DbConn {
  readonly threadId = 1;
  closed = false;
  readonly sent: string[] = [];
  readonly waiting: (() => void)[] = [];
  query(sql: string): Promise<Result[]> {
    this.sent.push(sql);
    return new Promise((resolve) => {
      this.waiting.push(() => resolve([{ fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: sql }]));
    });
  }
  finishOne(): void { this.waiting.shift()?.(); }
  async *stream(): AsyncIterable<Result> { /* unused */ }
  close(): void { this.closed = true; }
}

const tick = () => new Promise((r) => setImmediate(r));

async function openTx(): Promise<{ tx: TxPool; conn: FakeConn; id: bigint }> {
  const conn = new FakeConn();
  const tx = new TxPool({ pool: new ConnPool({ name: "transaction_pool", capacity: 1, waitTimeoutMs: 0, factory: async () => conn }), timeoutMs: 0 });
  const begun = tx.begin("begin");
  await tick();
  conn.finishOne();
  return { tx, conn, id: await begun };
}

describe("TxPool", () => {
  it("runs the calls on one transaction one at a time, in call order", async () => {
    const { tx, conn, id } = await openTx();
    const a = tx.run(id, (c) => c.query("a"));
    const b = tx.run(id, (c) => c.query("b"));
    const lease = tx.enter(id);
    expect(lease).toBeInstanceOf(Promise); // busy: the third call waits too
    await tick();
    expect(conn.sent).toEqual(["begin", "a"]);
    conn.finishOne();
    expect((await a)[0]!.info).toBe("a");
    await tick();
    expect(conn.sent).toEqual(["begin", "a", "b"]);
    conn.finishOne();
    await b;
    const l = await lease;
    expect(l.conn).toBe(conn);
    tx.leave(l);
    const idle = tx.enter(id);
    expect(idle).not.toBeInstanceOf(Promise); // idle: taken at once
    tx.leave(idle as Awaited<typeof idle>);
  });

  it("fails calls waiting on a transaction that ended meanwhile with ABORTED, unknown ids with NOT_FOUND", async () => {
    const { tx, conn, id } = await openTx();
    const running = tx.run(id, (c) => c.query("slow"));
    const commit = tx.commit(id);
    const waiting = tx.run(id, (c) => c.query("never"));
    await tick();
    conn.finishOne(); // slow
    await running;
    await tick();
    conn.finishOne(); // commit
    await commit;
    await expect(waiting).rejects.toMatchObject({ errno: 1105, vtCode: "ABORTED" });
    expect(conn.sent).toEqual(["begin", "slow", "commit"]);
    await expect(tx.run(id, (c) => c.query("x"))).rejects.toMatchObject({ vtCode: "ABORTED" });
    await expect(tx.run(12345n, (c) => c.query("x"))).rejects.toMatchObject({ vtCode: "NOT_FOUND" });
  });
});
