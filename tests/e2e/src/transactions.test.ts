// Transactions through vtgate on a real 2-shard cluster: transaction_mode SINGLE / MULTI / TWOPC (atomic commit on
// MariaDB XA, with the metadata manager's resolver finishing what a crashed vtgate left), savepoints across shards,
// START TRANSACTION READ ONLY / WITH CONSISTENT SNAPSHOT, session isolation, autocommit=0 and ROLLBACK on disconnect.
// users 1, 2 live on -80 and 100, 200 on 80- (hash vindex).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import mysql from "mysql2/promise";
import { connectGate, rows, startExampleCluster } from "./cluster.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("transactions on a real cluster", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let c: mysql.Connection;
  /** Root connections straight to the shard primaries' MariaDB (bypassing vtgate). */
  const direct = new Map<string, mysql.Connection>();

  const primary = (shard: string) => cluster.tablets.find((t) => t.shard === shard && t.type === "primary")!;
  const db = async (shard: string): Promise<mysql.Connection> => {
    let d = direct.get(shard);
    if (d === undefined) {
      d = await mysql.createConnection({ host: "127.0.0.1", port: primary(shard).mysqlPort, user: "root", database: "commerce" });
      direct.set(shard, d);
    }
    return d;
  };
  const directRows = async (shard: string, sql: string) => rows(await db(shard), sql);
  const userIds = async (conn: mysql.Connection) => (await rows(conn, "select user_id from users order by user_id")).map((r) => r[0]);
  const errorOf = async (p: Promise<unknown>): Promise<{ errno?: number; sqlState?: string; message: string }> => {
    try {
      await p;
    } catch (e) {
      return e as { errno?: number; sqlState?: string; message: string };
    }
    throw new Error("expected an error");
  };
  const waitFor = async (what: string, fn: () => Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!(await fn())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(250);
    }
  };

  beforeAll(async () => {
    // Tablets resolve abandoned distributed transactions after 2 s; vtgate honours the @vt_twopc_crash test hook.
    process.env["VT_TWOPC_ABANDON_AGE"] = "2";
    process.env["VTGATE_TWOPC_TEST_HOOKS"] = "1";
    ({ cluster, cleanup } = await startExampleCluster());
    c = await connectGate(cluster.gatePort, "commerce");
  });
  afterAll(async () => {
    delete process.env["VT_TWOPC_ABANDON_AGE"];
    delete process.env["VTGATE_TWOPC_TEST_HOOKS"];
    await c?.end().catch(() => {});
    for (const d of direct.values()) await d.end().catch(() => {});
    await cleanup?.();
  });
  beforeEach(async () => {
    await c.query("set transaction_mode = 'multi'");
    await c.query("delete from users");
  });

  it("SINGLE rejects a transaction reaching a second shard (Vitess's error, 1317/70100)", async () => {
    await c.query("set transaction_mode = 'single'");
    await c.query("begin");
    await c.query("insert into users (user_id, name) values (1, 'a')");
    await c.query("insert into users (user_id, name) values (2, 'b')"); // same shard: fine
    const e = await errorOf(c.query("insert into users (user_id, name) values (100, 'c')"));
    expect(e.message).toContain("multi-db transaction attempted");
    expect(e.errno).toBe(1317);
    expect(e.sqlState).toBe("70100");
    await c.query("rollback");
    expect(await userIds(c)).toEqual([]);
  });

  it("MULTI (the default) commits every shard", async () => {
    await c.query("begin");
    await c.query("insert into users (user_id, name) values (1, 'a'), (100, 'c')");
    await c.query("commit");
    expect(await userIds(c)).toEqual(["1", "100"]);
  });

  it("TWOPC commits atomically across two shards and leaves no 2PC metadata behind", async () => {
    await c.query("set transaction_mode = 'twopc'");
    await c.query("begin");
    await c.query("insert into users (user_id, name) values (1, 'a')");
    await c.query("insert into users (user_id, name) values (100, 'c')");
    await c.query("update users set name = 'aa' where user_id = 1");
    await c.query("commit");
    expect(await rows(c, "select user_id, name from users order by user_id")).toEqual([["1", "aa"], ["100", "c"]]);
    expect(await directRows("-80", "select count(*) from _vt.dt_state")).toEqual([["0"]]);
    expect(await directRows("80-", "select count(*) from _vt.redo_state")).toEqual([["0"]]);
    expect(await directRows("80-", "xa recover")).toEqual([]);
  });

  it("TWOPC rolls everything back when a participant's prepare fails", async () => {
    await c.query("set transaction_mode = 'twopc'");
    await c.query("begin");
    await c.query("insert into users (user_id, name) values (1, 'a')"); // -80: metadata manager
    await c.query("insert into users (user_id, name) values (100, 'c')"); // 80-: participant
    // Break the participant's transaction under vttablet: its connection is killed, so XA PREPARE fails.
    const trx = await directRows("80-", "select trx_mysql_thread_id from information_schema.innodb_trx");
    expect(trx.length).toBe(1);
    await (await db("80-")).query(`kill ${trx[0]![0]}`);
    const e = await errorOf(c.query("commit"));
    expect(e.message).not.toBe("");
    expect(await userIds(c)).toEqual([]);
    expect(await directRows("-80", "select count(*) from _vt.dt_state")).toEqual([["0"]]);
    expect(await directRows("80-", "xa recover")).toEqual([]);
  });

  it("TWOPC: vtgate killed right after StartCommit — the metadata manager's resolver commits the participant", async () => {
    const g = await connectGate(cluster.gatePort, "commerce");
    g.on("error", () => undefined);
    await g.query("set transaction_mode = 'twopc'");
    await g.query("set @vt_twopc_crash = 'after_start_commit'");
    await g.query("begin");
    await g.query("insert into users (user_id, name) values (2, 'b')");
    await g.query("insert into users (user_id, name) values (200, 'd')");
    await errorOf(g.query("commit")); // vtgate dies (SIGKILL) mid-commit
    g.destroy();
    // The MM's part committed together with the COMMIT decision; the participant is prepared, then resolved.
    expect(await directRows("-80", "select user_id from users")).toEqual([["2"]]);
    await waitFor("the resolver to commit 200 on 80-", async () =>
      (await directRows("80-", "select user_id from users")).length === 1);
    await waitFor("the dtid to be concluded", async () =>
      (await directRows("-80", "select count(*) from _vt.dt_state"))[0]![0] === "0");
    await cluster.restartProcess("vtgate");
    await c.end().catch(() => {});
    c = await connectGate(cluster.gatePort, "commerce");
    expect(await userIds(c)).toEqual(["2", "200"]);
  });

  it("TWOPC: a participant vttablet restarted while its part is prepared is committed by the resolver", async () => {
    const g = await connectGate(cluster.gatePort, "commerce");
    g.on("error", () => undefined);
    await g.query("set transaction_mode = 'twopc'");
    await g.query("set @vt_twopc_crash = 'after_start_commit'");
    await g.query("begin");
    await g.query("insert into users (user_id, name) values (1, 'a')");
    await g.query("insert into users (user_id, name) values (100, 'c')");
    const participant = `vttablet-${primary("80-").alias}`;
    const committing = errorOf(g.query("commit"));
    await committing;
    g.destroy();
    // Kill the participant's vttablet at once: MariaDB keeps the prepared XA transaction (locks held) without it.
    await cluster.killProcess(participant);
    expect((await directRows("80-", "xa recover")).length).toBe(1);
    await cluster.restartProcess(participant);
    await waitFor("the resolver to commit 100 on 80-", async () =>
      (await directRows("80-", "select user_id from users")).length === 1);
    expect(await directRows("80-", "xa recover")).toEqual([]);
    await cluster.restartProcess("vtgate");
    await c.end().catch(() => {});
    c = await connectGate(cluster.gatePort, "commerce");
    await waitFor("vtgate to see both primaries", async () => {
      try {
        return (await userIds(c)).join(",") === "1,100";
      } catch {
        return false;
      }
    });
  });

  it("measures two-shard commit latency: MULTI vs TWOPC", async () => {
    const n = 30;
    const per: Record<string, number> = {};
    for (const mode of ["multi", "twopc"]) {
      await c.query(`set transaction_mode = '${mode}'`);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        await c.query("begin");
        await c.query("insert into users (user_id, name) values (1, 'a'), (100, 'c') on duplicate key update name = values(name)");
        await c.query("commit");
      }
      per[mode] = (performance.now() - t0) / n;
    }
    console.log(`two-shard transaction (begin, 2-shard insert, commit), mean of ${n}: ` +
      `MULTI ${per["multi"]!.toFixed(1)} ms, TWOPC ${per["twopc"]!.toFixed(1)} ms`);
    expect(await userIds(c)).toEqual(["1", "100"]);
  });

  it("savepoints span shards: replayed on a shard that joins after them", async () => {
    await c.query("begin");
    await c.query("insert into users (user_id, name) values (1, 'a')");
    await c.query("savepoint s1");
    await c.query("insert into users (user_id, name) values (100, 'c')"); // 80- joins after s1 (replayed there)
    await c.query("insert into users (user_id, name) values (2, 'b')");
    await c.query("rollback to savepoint s1");
    await c.query("insert into users (user_id, name) values (200, 'd')");
    await c.query("commit");
    expect(await userIds(c)).toEqual(["1", "200"]);

    await c.query("begin");
    await c.query("savepoint s0"); // before any shard is in the transaction
    await c.query("insert into users (user_id, name) values (2, 'b'), (100, 'c')");
    await c.query("rollback to s0");
    await c.query("release savepoint s0");
    const e = await errorOf(c.query("rollback to savepoint s0"));
    expect(e.errno).toBe(1305);
    await c.query("commit");
    expect(await userIds(c)).toEqual(["1", "200"]);
  });

  it("START TRANSACTION READ ONLY rejects writes; WITH CONSISTENT SNAPSHOT reads one snapshot", async () => {
    await c.query("insert into users (user_id, name) values (1, 'a'), (100, 'c')");
    await c.query("start transaction read only");
    expect(await rows(c, "select count(*) from users")).toEqual([["2"]]);
    const e = await errorOf(c.query("insert into users (user_id, name) values (2, 'b')"));
    expect(e.errno).toBe(1792);
    await c.query("commit");

    // SET TRANSACTION READ ONLY (no scope) holds for the next transaction only
    await c.query("set transaction read only");
    await c.query("begin");
    expect((await errorOf(c.query("insert into users (user_id, name) values (2, 'b')"))).errno).toBe(1792);
    await c.query("commit");
    await c.query("begin");
    await c.query("insert into users (user_id, name) values (2, 'b')");
    expect((await errorOf(c.query("set transaction read only"))).errno).toBe(1568);
    await c.query("rollback");

    const other = await connectGate(cluster.gatePort, "commerce");
    await c.query("start transaction with consistent snapshot");
    expect(await rows(c, "select count(*) from users")).toEqual([["2"]]);
    await other.query("insert into users (user_id, name) values (2, 'b'), (200, 'd')");
    expect(await rows(c, "select count(*) from users")).toEqual([["2"]]);
    await c.query("commit");
    expect(await rows(c, "select count(*) from users")).toEqual([["4"]]);
    await other.end();
  });

  it("SET SESSION TRANSACTION ISOLATION LEVEL applies to the shard transactions", async () => {
    const other = await connectGate(cluster.gatePort, "commerce");
    await c.query("insert into users (user_id, name) values (1, 'a')");
    // REPEATABLE READ (default): a second read in the transaction does not see a concurrent commit
    await c.query("begin");
    expect(await rows(c, "select count(*) from users where user_id in (1, 2)")).toEqual([["1"]]);
    await other.query("insert into users (user_id, name) values (2, 'b')");
    expect(await rows(c, "select count(*) from users where user_id in (1, 2)")).toEqual([["1"]]);
    await c.query("commit");
    await c.query("delete from users where user_id = 2");
    // READ COMMITTED: it does
    await c.query("set session transaction isolation level read committed");
    await c.query("begin");
    expect(await rows(c, "select count(*) from users where user_id in (1, 2)")).toEqual([["1"]]);
    await other.query("insert into users (user_id, name) values (2, 'b')");
    expect(await rows(c, "select count(*) from users where user_id in (1, 2)")).toEqual([["2"]]);
    await c.query("commit");
    await c.query("set session transaction isolation level repeatable read");
    await other.end();
  });

  it("autocommit=0 opens implicit transactions; COMMIT and ROLLBACK end them", async () => {
    const other = await connectGate(cluster.gatePort, "commerce");
    await c.query("set autocommit = 0");
    try {
      await c.query("insert into users (user_id, name) values (1, 'a'), (100, 'c')");
      expect(await userIds(other)).toEqual([]);
      await c.query("commit");
      expect(await userIds(other)).toEqual(["1", "100"]);
      await c.query("insert into users (user_id, name) values (2, 'b')");
      await c.query("rollback");
      expect(await userIds(c)).toEqual(["1", "100"]);
      await c.query("commit");
    } finally {
      await c.query("set autocommit = 1");
      await other.end();
    }
  });

  it("CLIENT_FOUND_ROWS: an UPDATE that changes nothing reports the rows matched to clients that ask for it", async () => {
    await c.query("insert into users (user_id, name) values (1, 'a'), (100, 'c')");
    const same1 = "update users set name = 'a' where user_id = 1";
    const sameAll = "update users set name = name";
    const affected = async (conn: mysql.Connection, sql: string) => ((await conn.query(sql))[0] as mysql.ResultSetHeader).affectedRows;
    // mysql2 sets CLIENT_FOUND_ROWS by default: rows matched, on one shard, across shards and inside a transaction
    expect(await affected(c, same1)).toBe(1);
    expect(await affected(c, sameAll)).toBe(2);
    await c.query("begin");
    expect(await affected(c, same1)).toBe(1);
    expect(await affected(c, "update users set name = 'c' where user_id = 100")).toBe(1);
    await c.query("commit");
    const changed = await mysql.createConnection({ host: "127.0.0.1", port: cluster.gatePort, user: "user", database: "commerce", flags: ["-FOUND_ROWS"] });
    try {
      expect(await affected(changed, same1)).toBe(0);
      expect(await affected(changed, sameAll)).toBe(0);
      await changed.query("begin");
      expect(await affected(changed, same1)).toBe(0);
      await changed.query("rollback");
      expect(await affected(changed, "update users set name = 'z' where user_id = 1")).toBe(1);
    } finally {
      await changed.end();
    }
  });

  it("a client that disconnects mid-transaction is rolled back (its locks released)", async () => {
    const gone = await connectGate(cluster.gatePort, "commerce");
    await gone.query("begin");
    await gone.query("insert into users (user_id, name) values (1, 'a'), (100, 'c')");
    gone.destroy();
    await waitFor("the disconnect rollback", async () =>
      (await directRows("80-", "select count(*) from information_schema.innodb_trx"))[0]![0] === "0" &&
      (await directRows("-80", "select count(*) from information_schema.innodb_trx"))[0]![0] === "0", 10_000);
    await c.query("insert into users (user_id, name) values (1, 'a2'), (100, 'c2')");
    expect(await rows(c, "select name from users order by user_id")).toEqual([["a2"], ["c2"]]);
  });
});
