import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startMariaDb, type MariaDb } from "@vt/testkit/mariadb";
import type { Result } from "@vt/sqltypes";
import type { DbConn } from "./db-conn.js";
import { killStatement } from "./kill-statement.js";
import { mariaDbConnFactory } from "./mariadb-conn.js";

let db: MariaDb;
let admin: DbConn;
const dec = new TextDecoder();
const connect = (): Promise<DbConn> => mariaDbConnFactory({ host: db.host, port: db.port, user: "root", password: "" })();

/** Resolves once connection `threadId` runs a statement whose text starts with `prefix`. */
async function running(threadId: number, prefix: string): Promise<void> {
  await vi.waitFor(async () => {
    const [r] = await admin.query(`SELECT INFO_BINARY FROM information_schema.PROCESSLIST WHERE ID = ${threadId}`);
    const info = r!.rows[0]?.[0];
    expect(info == null ? "" : dec.decode(info)).toMatch(new RegExp(`^${prefix}`));
  }, { timeout: 5000, interval: 20 });
}

/** The first value of a query's first result, as text; rejections come back as "errno N". */
const outcome = (p: Promise<Result[]>): Promise<string> =>
  p.then((rs) => dec.decode(rs.at(-1)!.rows[0]![0]!), (e: { errno?: number }) => `errno ${e.errno}`);

/** Runs `fn` on a fresh connection and closes it afterwards. */
async function onConn(fn: (c: DbConn) => Promise<void>): Promise<void> {
  const c = await connect();
  try {
    await fn(c);
  } finally {
    c.close();
  }
}

/** Starts `sql` on `c` and waits until MariaDB runs it; `ended` tells how it ends. */
async function started(c: DbConn, sql: string): Promise<{ ended: Promise<string> }> {
  const ended = outcome(c.query(sql));
  await running(c.threadId, "SELECT SLEEP");
  return { ended };
}

beforeAll(async () => {
  db = await startMariaDb();
  admin = await connect();
});

afterAll(async () => {
  admin?.close();
  await db?.stop();
});

describe("killStatement", () => {
  it("kills the statement it is aimed at (1317 for its caller)", () => onConn(async (c) => {
    const sql = "SELECT SLEEP(5) AS aimed";
    const { ended } = await started(c, sql);
    expect(await killStatement(admin, { threadId: c.threadId, sql, finished: false })).toBe(true);
    expect(await ended).toBe("errno 1317");
  }));

  it("leaves alone the statement pipelined after the one it was aimed at, which a plain KILL QUERY would stop", async () => {
    for (const plain of [false, true]) {
      await onConn(async (c) => {
        const a = "SELECT 1 AS a";
        const first = c.query(a);
        const second = outcome(c.query("SELECT SLEEP(1) AS b"));
        await first; // a is answered; MariaDB now runs b, but the kill for a was decided before its answer came back
        await running(c.threadId, "SELECT SLEEP");
        if (plain) await admin.query(`KILL QUERY ${c.threadId}`);
        else expect(await killStatement(admin, { threadId: c.threadId, sql: a, finished: false })).toBe(false);
        expect(await second).toBe(plain ? "errno 1317" : "0");
      });
    }
  });

  it("sends nothing for a statement already answered, even when the same text runs again", () => onConn(async (c) => {
    const sql = "SELECT SLEEP(1) AS again";
    const { ended } = await started(c, sql);
    expect(await killStatement(admin, { threadId: c.threadId, sql, finished: true })).toBe(false);
    expect(await ended).toBe("0");
  }));

  it("matches texts by their bytes (4-byte characters) and the running statement of a multi-statement text", () => onConn(async (c) => {
    for (const sql of ["SELECT SLEEP(5), '😀' AS e", "SELECT 1; SELECT SLEEP(5) AS m"]) {
      const { ended } = await started(c, sql);
      expect(await killStatement(admin, { threadId: c.threadId, sql, finished: false })).toBe(true);
      expect(await ended).toBe("errno 1317");
    }
  }));

  it("does nothing on an idle or unknown connection", () => onConn(async (c) => {
    expect(await killStatement(admin, { threadId: c.threadId, sql: "SELECT 1", finished: false })).toBe(false);
    expect(await killStatement(admin, { threadId: 999999, sql: "SELECT 1", finished: false })).toBe(false);
    expect(await outcome(c.query("SELECT 2"))).toBe("2");
  }));
});
