// Schema tracking on a real cluster (unsharded `main`, sharded `commerce`): vttablets report changed tables in
// StreamHealth (realtime_stats.table_schema_changed) after DDL, vtgate loads them with GetSchema and merges them
// into the VSchema. Tracked tables of an unsharded keyspace become VSchema tables (SHOW VSCHEMA TABLES, global
// routing); a sharded keyspace never gains tables it does not list; dropped tables disappear. With the columns known,
// cross-shard joins take unqualified columns, '*', USING and NATURAL JOIN, ambiguous/unknown columns fail like
// MariaDB (1052/1054), and INSERT needs no column list — each compared with one plain MariaDB database (the oracle).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import mysql from "mysql2/promise";
import { connectGate, connectOracle, rows, startExampleCluster } from "./cluster.js";

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

  describe("with tracked columns (differential against one MariaDB)", () => {
    let oracle: mysql.Connection;
    const DATA = [
      "INSERT INTO users (user_id, name, email) VALUES (1,'ann','a@x'),(2,'bob','b@x'),(3,'cy',NULL),(4,'dee','d@x'),(6,'eve','e@x')",
      "INSERT INTO orders (order_id, user_id, amount, note) VALUES (10,1,1.50,'x'),(11,1,2.00,'y'),(12,2,3.00,'x'),(13,4,4.25,NULL),(14,9,5.00,'z'),(15,6,2.00,'y')",
      "INSERT INTO pinned (id, secret, shown) VALUES (1,'s1','v1'),(4,'s4','v4')",
    ];
    const outcome = async (conn: mysql.Connection, sql: string): Promise<unknown> => {
      try {
        return { rows: await rows(conn, sql) };
      } catch (e) {
        const err = e as { errno?: number; sqlState?: string; message: string };
        return { errno: err.errno, sqlState: err.sqlState, message: err.message };
      }
    };

    beforeAll(async () => {
      const t = cluster.tablets.find((x) => x.keyspace === "main")!;
      oracle = await connectOracle(t, { multipleStatements: true });
      const fs = await import("node:fs");
      await oracle.query(fs.readFileSync(new URL("./schema-cluster/commerce.sql", import.meta.url), "utf8"));
      for (const d of DATA) await oracle.query(d);
      await c.query("USE commerce");
      for (const d of DATA) await c.query(d);
      await until("commerce columns tracked", () => outcome(c, "SELECT name FROM users JOIN orders ON users.user_id = orders.user_id"), (o) => "rows" in (o as object));
    });
    afterAll(async () => { await oracle?.end().catch(() => {}); });

    it.each([
      "SELECT name, amount FROM users JOIN orders ON users.user_id = orders.user_id ORDER BY name, amount",
      "SELECT name, amount FROM users JOIN orders ON users.user_id = orders.user_id WHERE amount > 1.5 AND email IS NOT NULL ORDER BY amount DESC, name",
      "SELECT * FROM users JOIN orders ON users.user_id = orders.user_id ORDER BY order_id",
      "SELECT * FROM users JOIN orders USING (user_id) ORDER BY order_id",
      "SELECT * FROM users NATURAL JOIN orders ORDER BY order_id",
      "SELECT name, amount FROM users NATURAL LEFT JOIN orders ORDER BY name, amount",
      "SELECT o.*, u.name FROM users u JOIN orders o ON u.user_id = o.user_id ORDER BY o.order_id",
      "SELECT u.*, o.amount FROM users u LEFT JOIN orders o ON u.user_id = o.user_id ORDER BY u.user_id, o.amount",
      "SELECT user_id, name, amount FROM users RIGHT JOIN orders USING (user_id) ORDER BY amount, name",
      "SELECT name, COUNT(*), SUM(amount) FROM users JOIN orders USING (user_id) GROUP BY name ORDER BY name",
      "SELECT COUNT(*) FROM users NATURAL JOIN orders",
      "SELECT user_id FROM users JOIN orders ON users.user_id = orders.user_id",
      "SELECT name FROM users JOIN orders ON users.user_id = orders.user_id WHERE user_id = 1",
      "SELECT nope FROM users JOIN orders ON users.user_id = orders.user_id",
      "SELECT name FROM users JOIN orders ON users.user_id = orders.user_id ORDER BY nope",
      "SELECT COUNT(DISTINCT user_id), SUM(DISTINCT amount), COUNT(DISTINCT note) FROM orders",
      "SELECT GROUP_CONCAT(DISTINCT note ORDER BY note DESC) FROM orders",
      "SELECT user_id, GROUP_CONCAT(amount ORDER BY amount SEPARATOR '|') FROM orders GROUP BY user_id ORDER BY user_id",
    ])("%s", async (sql) => {
      expect(await outcome(c, sql)).toEqual(await outcome(oracle, sql));
    });

    it("a VSchema's authoritative column list wins over tracked columns ('*' of pinned has no secret)", async () => {
      // A cross-shard join (orders is sharded by order_id), so vtgate expands the '*'.
      const [, fields] = await c.query("SELECT * FROM pinned p JOIN orders o ON p.id = o.user_id");
      expect((fields as { name: string }[]).map((f) => f.name)).toEqual(["id", "shown", "order_id", "user_id", "amount", "note"]);
    });

    it("INSERT and REPLACE without a column list use the tracked columns", async () => {
      for (const conn of [c, oracle]) {
        await conn.query("INSERT INTO users VALUES (7, 'gus', 'g@x'), (8, 'hal', NULL)");
        await conn.query("REPLACE INTO users VALUES (7, 'gus2', NULL)");
      }
      const sql = "SELECT * FROM users WHERE user_id IN (7, 8) ORDER BY user_id";
      expect(await outcome(c, sql)).toEqual(await outcome(oracle, sql));
      expect(await outcome(c, "INSERT INTO users VALUES (9, 'x')")).toMatchObject({ errno: 1136 });
    });
  });
});
