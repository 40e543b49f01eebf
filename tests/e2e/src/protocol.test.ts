// vtgate's front door through real clients against a real cluster: commands, prepared statements (binary and SQL),
// session statements drivers send, multi-results, the 16 MiB packet boundary, KILL, query timeouts, streaming a
// 1,000,000-row result to a slow client (RSS measured), and a second vtgate with static auth, TLS, a unix socket,
// max connections and an idle timeout. Bad input and 5,000 idle connections are in protocol-abuse.test.ts.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import mysql from "mysql2/promise";
import mysqlCb from "mysql2";
import { connectGate, rows, startExampleCluster } from "./cluster.js";
import { fieldList } from "./field-list-client.js";
import { nativeHash, pidOf, rssMiB, startExtraGate, type ExtraGate } from "./protocol-helpers.js";

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("vtgate MySQL protocol", () => {
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

  describe("streaming", () => {
    it("streams 1,000,000 rows to a slow client without buffering them in vtgate", async () => {
      const pid = pidOf(cluster, "vtgate");
      const before = rssMiB(pid);
      const conn = mysqlCb.createConnection({ host: "127.0.0.1", port: cluster.gatePort, user: "user", database: "commerce:-80" });
      await new Promise<void>((ok, fail) => conn.query("SET workload = 'olap'", (e) => (e ? fail(e) : ok())));
      const stream = conn.query("SELECT seq, REPEAT('r', 100) AS pad FROM seq_1_to_1000000").stream({ highWaterMark: 64 });
      let n = 0;
      let peak = before;
      let paused = false;
      let atPause = 0;
      let afterPause = 0;
      const t0 = Date.now();
      await new Promise<void>((ok, fail) => {
        stream.on("data", () => {
          n++;
          if (n === 1000 && !paused) {
            // A slow client: stop reading for 3 s. vtgate must stop pulling from the tablet meanwhile.
            paused = true;
            stream.pause();
            setTimeout(() => { atPause = rssMiB(pid); }, 500);
            setTimeout(() => { afterPause = rssMiB(pid); peak = Math.max(peak, afterPause); stream.resume(); }, 3500);
          }
          if (n % 100_000 === 0) peak = Math.max(peak, rssMiB(pid));
        });
        stream.on("end", () => ok());
        stream.on("error", fail);
      });
      conn.end();
      const secs = (Date.now() - t0) / 1000;
      console.log(`streamed ${n} rows in ${secs.toFixed(1)} s; vtgate RSS before ${before.toFixed(0)} MiB, ` +
        `while the client paused ${atPause.toFixed(0)} -> ${afterPause.toFixed(0)} MiB, peak at full speed ${peak.toFixed(0)} MiB`);
      expect(n).toBe(1_000_000);
      // The result is ~110 MB on the wire: while the client reads nothing, vtgate must stop pulling from the tablet.
      expect(afterPause - atPause).toBeLessThan(32);
      // At full speed RSS is garbage awaiting GC (it plateaus; it does not grow with the result's size).
      expect(peak).toBeLessThan(before + 768);
    }, 240_000);
  });

  describe("commands and session statements", () => {
    it("pings, changes database, and answers 1049 for an unknown one (USE, COM_INIT_DB, handshake)", async () => {
      await c.ping();
      await expect(c.query("USE nosuchdb")).rejects.toMatchObject({ errno: 1049, sqlState: "42000" });
      const c2 = await connectGate(cluster.gatePort, "commerce");
      expect(await rows(c2, "SELECT DATABASE()")).toEqual([["commerce"]]);
      await c2.end();
      await expect(connectGate(cluster.gatePort, "nosuchdb")).rejects.toMatchObject({ errno: 1049 });
    });

    it("handles COM_CHANGE_USER and COM_RESET_CONNECTION", async () => {
      const x = await connectGate(cluster.gatePort, "commerce");
      await x.query("BEGIN");
      await x.changeUser({ user: "user", database: "commerce" });
      expect(await rows(x, "SELECT DATABASE()")).toEqual([["commerce"]]);
      await x.reset();
      expect(await rows(x, "SELECT 1 FROM dual")).toEqual([["1"]]);
      await x.end();
    });

    it("accepts what drivers send at connect time", async () => {
      for (const sql of ["SET NAMES utf8mb4", "SET NAMES 'utf8mb4' COLLATE 'utf8mb4_general_ci'", "SET character_set_results = NULL",
        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", "SET TRANSACTION READ ONLY", "SET autocommit = 1",
        "SET sql_mode = 'STRICT_TRANS_TABLES'", "SET time_zone = '+00:00'"]) {
        await c.query(sql);
      }
      await c.query("START TRANSACTION READ ONLY");
      expect(await rows(c, "SELECT COUNT(*) FROM users")).toEqual([["0"]]);
      await c.query("COMMIT");
      expect(await rows(c, "SHOW WARNINGS")).toEqual([]);
    });

    it("runs SQL PREPARE / EXECUTE / DEALLOCATE with user variables, and ROW_COUNT()/LAST_INSERT_ID()/CONNECTION_ID() from the session", async () => {
      await c.query("PREPARE ins FROM 'INSERT INTO users (user_id, name, email) VALUES (?, ?, ?)'");
      await c.query("SET @id = 7, @n = 'Zoë', @e = NULL");
      await c.query("EXECUTE ins USING @id, @n, @e");
      expect(await rows(c, "SELECT ROW_COUNT()")).toEqual([["1"]]);
      await c.query("DEALLOCATE PREPARE ins");
      await expect(c.query("EXECUTE ins USING @id, @n, @e")).rejects.toMatchObject({ errno: 1243 });
      expect(await rows(c, "SELECT name, email FROM users WHERE user_id = 7")).toEqual([["Zoë", null]]);
      const [[id]] = await rows(c, "SELECT CONNECTION_ID()") as [[string]];
      expect(Number(id)).toBe(c.threadId);
      const [r] = await c.query({ sql: "SELECT ROW_COUNT(), DATABASE() AS db", rowsAsArray: false });
      expect(Object.keys((r as object[])[0]!)).toEqual(["ROW_COUNT()", "db"]);
    });

    it("executes binary-protocol prepared statements with every common parameter type", async () => {
      const [ins] = await c.execute("INSERT INTO users (user_id, name, email) VALUES (?, ?, ?)", [8, "bin é", null]);
      expect(ins).toMatchObject({ affectedRows: 1 });
      const [got] = await c.execute("SELECT user_id, name, email FROM users WHERE user_id = ?", [8]);
      expect(got).toEqual([{ user_id: "8", name: "bin é", email: null }]);
      const [types] = await c.execute("SELECT ? AS i, ? AS s, ? AS d, ? AS b, ? AS n, ? AS f FROM users WHERE user_id = ?",
        [-5, "x'y", new Date(Date.UTC(2024, 0, 15, 10, 30, 0)), Buffer.from([0, 1, 255]), null, 1.5, 8]);
      expect((types as Record<string, unknown>[])[0]).toMatchObject({ i: -5, s: "x'y", n: null });
      expect(Number((types as Record<string, unknown>[])[0]!["f"])).toBe(1.5);
      await expect(c.execute("SELECT * FROM users WHERE user_id = ? AND name = ?", [1])).rejects.toBeTruthy();
      await c.execute("DELETE FROM users WHERE user_id IN (7, 8)");
    });

    it("returns several result sets for a multi-statement query with the right flags", async () => {
      const [res] = await c.query("SELECT 1 AS a FROM dual; BEGIN; SELECT 2 AS b FROM dual; ROLLBACK");
      expect(res).toHaveLength(4);
      expect((res as unknown[])[0]).toEqual([{ a: 1 }]);
      expect((res as unknown[])[2]).toEqual([{ b: 2 }]);
    });

    it("relays a row larger than 16 MiB (split packets) and accepts a client packet larger than 16 MiB", async () => {
      const n = 16 * 1024 * 1024 - 4;
      const [[len]] = await rows(c, "SELECT LENGTH(REPEAT('x', 16777212)) FROM dual") as [[string]];
      expect(Number(len)).toBe(n);
      const [big] = await c.query({ sql: "SELECT REPEAT('x', 16777212) AS v FROM dual", rowsAsArray: true });
      expect(((big as unknown[][])[0]![0] as string).length).toBe(n);
      const huge = "y".repeat(17 * 1024 * 1024);
      await c.query(`SET @big = '${huge}'`);
      expect(await rows(c, "SELECT 1 FROM dual")).toEqual([["1"]]);
    });

    it("answers COM_FIELD_LIST with the table's columns, filtered by the wildcard; 1146 for an unknown table", async () => {
      expect(await fieldList(cluster.gatePort, "user", "commerce", "orders")).toEqual({ columns: ["order_id", "user_id", "amount", "created_at"] });
      expect(await fieldList(cluster.gatePort, "user", "commerce", "orders", "%_ID")).toEqual({ columns: ["order_id", "user_id"] });
      expect(await fieldList(cluster.gatePort, "user", "commerce", "nosuch")).toMatchObject({ errno: 1146 });
    });
  });

  describe("cancellation", () => {
    it("KILL QUERY from another session interrupts a running query (1317); KILL CONNECTION closes it", async () => {
      const victim = await connectGate(cluster.gatePort, "commerce");
      const killer = await connectGate(cluster.gatePort, "commerce");
      await victim.query("INSERT INTO users (user_id, name) VALUES (1, 'a')");
      const t0 = Date.now();
      const q = victim.query("SELECT SLEEP(5) FROM users WHERE user_id = 1").then(() => null, (e: unknown) => e);
      await sleep(300);
      await killer.query(`KILL QUERY ${victim.threadId}`);
      expect(await q).toMatchObject({ errno: 1317, sqlState: "70100" });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(await rows(victim, "SELECT 1 FROM dual")).toEqual([["1"]]);
      await killer.query(`KILL CONNECTION ${victim.threadId}`);
      await expect(victim.query("SELECT 1 FROM dual")).rejects.toBeTruthy();
      await expect(killer.query("KILL 999999")).rejects.toMatchObject({ errno: 1094 });
      await killer.query("DELETE FROM users WHERE user_id = 1");
      await killer.end();
      victim.destroy();
    });

    it("KILL QUERY on a non-streamed single-shard query also kills the statement on the tablet's MariaDB", async () => {
      const victim = await connectGate(cluster.gatePort, "commerce");
      const killer = await connectGate(cluster.gatePort, "commerce");
      const direct = await Promise.all(cluster.tablets.filter((t) => t.type === "primary")
        .map((t) => mysql.createConnection({ host: "127.0.0.1", port: t.mysqlPort, user: "root" })));
      const sleeping = async (): Promise<number> => {
        let n = 0;
        for (const d of direct) n += (await rows(d, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%SLEEP(30)%' AND INFO NOT LIKE '%PROCESSLIST%'"))
          .reduce((a, r) => a + Number(r[0]), 0);
        return n;
      };
      try {
        await victim.query("INSERT INTO users (user_id, name) VALUES (1, 'a')");
        const q = victim.query("SELECT SLEEP(30) FROM users WHERE user_id = 1").then(() => null, (e: unknown) => e);
        const t0 = Date.now();
        while ((await sleeping()) === 0 && Date.now() - t0 < 3000) await sleep(50);
        expect(await sleeping()).toBe(1);
        await killer.query(`KILL QUERY ${victim.threadId}`);
        expect(await q).toMatchObject({ errno: 1317 });
        const t1 = Date.now();
        while ((await sleeping()) > 0 && Date.now() - t1 < 3000) await sleep(50);
        expect(Date.now() - t1).toBeLessThan(1000);
        expect(await rows(victim, "SELECT name FROM users WHERE user_id = 1")).toEqual([["a"]]);
        await victim.query("DELETE FROM users WHERE user_id = 1");
      } finally {
        await Promise.all([victim.end(), killer.end(), ...direct.map((d) => d.end())]);
      }
    });

    it("aborts a query past /*vt+ QUERY_TIMEOUT_MS */ with 3024, on point and scatter routes", async () => {
      await c.query("INSERT INTO users (user_id, name) VALUES (1, 'a'), (100, 'b')");
      const t0 = Date.now();
      await expect(c.query("SELECT /*vt+ QUERY_TIMEOUT_MS=300 */ SLEEP(3) FROM users WHERE user_id = 1")).rejects.toMatchObject({ errno: 3024 });
      await expect(c.query("SELECT /*vt+ QUERY_TIMEOUT_MS=300 */ SLEEP(3), user_id FROM users")).rejects.toMatchObject({ errno: 3024 });
      expect(Date.now() - t0).toBeLessThan(2500);
      expect(await rows(c, "SELECT /*vt+ QUERY_TIMEOUT_MS=5000 */ name FROM users WHERE user_id = 1")).toEqual([["a"]]);
      await c.query("DELETE FROM users WHERE user_id IN (1, 100)");
    });
  });

  describe("a vtgate with static auth, TLS, unix socket and limits", () => {
    let gate: ExtraGate;
    let sock: string;
    let ca: Buffer;

    beforeAll(async () => {
      const auth = join(cluster.dataDir, "auth.json");
      writeFileSync(auth, JSON.stringify({
        app: [{ Password: "secret", UserData: "app" }],
        hashed: [{ MysqlNativePassword: nativeHash("pw2") }],
      }));
      sock = join(cluster.dataDir, "vtgate.sock");
      ca = readFileSync(join(cluster.dataDir, "tls", "server-cert.pem"));
      gate = await startExtraGate(cluster, "vtgate-auth", [
        "--mysql_auth_server_impl", "static", "--mysql_auth_server_static_file", auth,
        "--mysql_server_ssl_cert", join(cluster.dataDir, "tls", "server-cert.pem"),
        "--mysql_server_ssl_key", join(cluster.dataDir, "tls", "server-key.pem"),
        "--mysql_server_socket_path", sock, "--max_connections", "5", "--mysql_server_read_timeout", "1500ms",
        "--query-timeout", "2000",
      ]);
    });
    afterAll(async () => { await gate?.stop(); });

    const open = (o: Partial<mysql.ConnectionOptions> = {}): Promise<mysql.Connection> =>
      mysql.createConnection({ host: "127.0.0.1", port: gate.port, user: "app", password: "secret", database: "commerce", ...o });

    it("authenticates from the static file; a wrong password gets 1045/28000", async () => {
      const a = await open();
      expect(await rows(a, "SELECT 1 FROM dual")).toEqual([["1"]]);
      await a.end();
      const h = await open({ user: "hashed", password: "pw2" });
      await h.end();
      await expect(open({ password: "wrong" })).rejects.toMatchObject({ errno: 1045, sqlState: "28000" });
      await expect(open({ user: "nobody" })).rejects.toMatchObject({ errno: 1045 });
      await expect(open({ database: "nosuchdb" })).rejects.toMatchObject({ errno: 1049 });
    });

    it("serves TLS (mysql2 with the generated CA, and `mariadb --ssl`)", async () => {
      const t = await open({ ssl: { ca } });
      expect(await rows(t, "SELECT 1 FROM dual")).toEqual([["1"]]);
      await t.end();
      const { stdout } = await run("mariadb", ["--no-defaults", "--protocol=TCP", "-h127.0.0.1", `-P${gate.port}`, "-uapp", "-psecret",
        "--ssl", "--ssl-verify-server-cert=0", "-N", "-B", "-e", "SELECT 42 FROM dual", "commerce"]);
      expect(stdout.trim()).toBe("42");
    });

    it("listens on a unix socket", async () => {
      const u = await mysql.createConnection({ socketPath: sock, user: "app", password: "secret", database: "commerce" });
      expect(await rows(u, "SELECT 1 FROM dual")).toEqual([["1"]]);
      await u.end();
    });

    it("applies the default query timeout (--query-timeout)", async () => {
      const q = await open();
      await q.query("INSERT INTO users (user_id, name) VALUES (1, 'a')");
      await expect(q.query("SELECT SLEEP(4) FROM users WHERE user_id = 1")).rejects.toMatchObject({ errno: 3024 });
      await q.query("DELETE FROM users WHERE user_id = 1");
      await q.end();
    });

    it("refuses connections past --max_connections with 1040 and closes idle ones after the read timeout", async () => {
      const held: mysql.Connection[] = [];
      for (let i = 0; i < 5; i++) held.push(await open());
      await expect(open()).rejects.toMatchObject({ errno: 1040 });
      await sleep(2500);
      for (const h of held) await expect(h.query("SELECT 1 FROM dual")).rejects.toBeTruthy();
      for (const h of held) h.destroy();
      const again = await open();
      await again.end();
    });
  });
});
