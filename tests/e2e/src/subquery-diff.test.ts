// Differential check of cross-shard subqueries, CTEs and joins: every statement runs through vtgate (2 shards) and
// against one plain MariaDB holding the same rows (database `oracle` on the first tablet's own mariadbd, so the
// server options are the tablets'), and the answers must match: rows (as a multiset, or in order for ORDER BY
// queries marked `ordered`) or the error number.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import mysql from "mysql2/promise";
import { connectGate, connectOracle, rows, startExampleCluster } from "./cluster.js";

const SCHEMA = [
  "CREATE TABLE users (user_id BIGINT NOT NULL, name VARCHAR(100), grp INT, manager_id BIGINT, PRIMARY KEY (user_id))",
  "CREATE TABLE orders (order_id BIGINT NOT NULL, user_id BIGINT NOT NULL, amount DECIMAL(10,2), PRIMARY KEY (order_id))",
  "CREATE TABLE items (item_id BIGINT NOT NULL, order_id BIGINT NOT NULL, sku VARCHAR(20), qty INT, PRIMARY KEY (item_id))",
];
const DATA = [
  "INSERT INTO users (user_id, name, grp, manager_id) VALUES (1,'ann',1,NULL),(2,'bob',1,1),(3,'cid',2,1),(4,'dan',2,2),(5,'eve',NULL,2),(6,'fay',3,4),(7,NULL,3,6)",
  "INSERT INTO orders (order_id, user_id, amount) VALUES (10,1,1.50),(11,1,2.00),(12,2,3.00),(13,5,NULL),(14,6,5.00),(15,3,2.00),(16,9,7.25)",
  "INSERT INTO items (item_id, order_id, sku, qty) VALUES (100,10,'a',1),(101,10,'b',2),(102,12,'a',NULL),(103,14,'c',5),(104,99,'d',1),(105,11,NULL,3)",
];

/** A statement to compare; `ordered`: the row order is part of the answer. */
interface Check { readonly sql: string; readonly ordered?: boolean }

export const JOINS: Check[] = [
  { sql: "SELECT u.name, o.order_id, i.sku FROM users u JOIN orders o ON o.order_id = u.user_id + 9 JOIN items i ON i.order_id = o.order_id" },
  { sql: "SELECT u.name, o.order_id, i.item_id FROM users u, orders o, items i WHERE o.order_id = u.user_id + 9 AND i.order_id = o.order_id AND i.qty > 1" },
  { sql: "SELECT u.name, o.amount FROM users u LEFT JOIN orders o ON o.order_id = u.user_id + 9 WHERE o.amount IS NULL" },
  { sql: "SELECT u.name, o.amount FROM users u LEFT JOIN orders o ON o.order_id = u.user_id + 9 AND u.grp = 1" },
  { sql: "SELECT u.name, o.amount FROM users u LEFT JOIN orders o ON o.order_id = u.user_id + 9 WHERE o.amount > 1 OR u.grp = 3" },
  { sql: "SELECT u.user_id, o.order_id, i.item_id FROM users u LEFT JOIN orders o ON o.order_id = u.user_id + 9 LEFT JOIN items i ON i.order_id = o.order_id" },
  { sql: "SELECT o.order_id, u.name FROM users u RIGHT JOIN orders o ON u.user_id + 9 = o.order_id" },
  { sql: "SELECT u.name, o.order_id, i.sku FROM users u LEFT JOIN (orders o JOIN items i ON i.order_id = o.order_id) ON o.order_id = u.user_id + 9" },
  { sql: "SELECT u.name, i.sku FROM (users u JOIN orders o ON o.order_id = u.user_id + 9) JOIN items i ON i.order_id = o.order_id" },
  { sql: "SELECT u.name FROM users u JOIN orders o ON o.order_id = u.user_id + 9 ORDER BY o.amount DESC, u.user_id LIMIT 3", ordered: true },
  { sql: "SELECT u.name, u.user_id + o.amount AS s FROM users u JOIN orders o ON o.order_id = u.user_id + 9 ORDER BY s DESC, u.name LIMIT 3", ordered: true },
  { sql: "SELECT t.total, u.name, i.sku FROM (SELECT user_id, SUM(amount) AS total FROM orders GROUP BY user_id) t JOIN users u ON u.user_id = t.user_id JOIN items i ON i.item_id = t.user_id + 99" },
  { sql: "WITH t AS (SELECT user_id, grp FROM users) SELECT a.user_id, b.user_id FROM t a JOIN t b ON b.user_id = a.user_id + 1 WHERE a.grp = b.grp" },
];

export const SUBQUERIES: Check[] = [
  { sql: "SELECT u.user_id, (SELECT MAX(o.amount) FROM orders o WHERE o.order_id = u.user_id + 9) + 1 AS m FROM users u" },
  { sql: "SELECT u.user_id FROM users u WHERE u.user_id > (SELECT AVG(o.amount) FROM orders o WHERE o.order_id > u.user_id + 9)" },
  { sql: "SELECT u.user_id, CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.order_id = u.user_id + 9) THEN 'y' ELSE 'n' END AS has FROM users u" },
  { sql: "SELECT u.user_id FROM users u WHERE u.grp NOT IN (SELECT i.qty FROM items i WHERE i.item_id > u.user_id + 99)" },
  { sql: "SELECT u.user_id, u.grp NOT IN (SELECT i.qty FROM items i WHERE i.item_id > u.user_id + 99) AS x FROM users u" },
  { sql: "SELECT u.user_id, u.grp IN (SELECT i.qty FROM items i WHERE i.item_id >= u.user_id + 100) AS x FROM users u" },
  { sql: "SELECT u.user_id FROM users u WHERE u.user_id > ANY (SELECT o.amount FROM orders o WHERE o.user_id <> u.user_id)" },
  { sql: "SELECT u.user_id, u.user_id <= ALL (SELECT o.amount FROM orders o WHERE o.user_id <> u.user_id) AS a FROM users u" },
  { sql: "SELECT u.name FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.order_id > u.user_id + 9 AND o.amount IN (SELECT i.qty FROM items i WHERE i.sku IS NOT NULL AND i.item_id > u.user_id + 100))" },
  { sql: "SELECT u.user_id FROM users u ORDER BY (SELECT COUNT(*) FROM orders o WHERE o.order_id > u.user_id + 9) DESC, u.user_id LIMIT 4", ordered: true },
  { sql: "SELECT u.name, (SELECT COUNT(*) FROM items i WHERE i.order_id = o.order_id) AS n FROM users u JOIN orders o ON o.order_id = u.user_id + 9" },
  { sql: "SELECT t.user_id, (SELECT COUNT(*) FROM items i WHERE i.qty > t.total) AS n FROM (SELECT user_id, SUM(amount) AS total FROM orders GROUP BY user_id) t" },
  { sql: "SELECT u.grp, COUNT(*) FROM users u WHERE u.user_id + 9 IN (SELECT o.order_id FROM orders o WHERE o.amount >= u.grp) GROUP BY u.grp" },
  { sql: "SELECT u.user_id, (SELECT o.order_id FROM orders o WHERE o.order_id > u.user_id + 9) FROM users u" },
  { sql: "SELECT u.grp, COUNT(*) FROM users u GROUP BY u.grp HAVING COUNT(*) >= (SELECT COUNT(*) FROM items i WHERE i.qty > 2)" },
  { sql: "SELECT u.grp, COUNT(*) AS n, (SELECT COUNT(*) FROM items i WHERE i.qty = u.grp) AS m FROM users u GROUP BY u.grp" },
  { sql: "SELECT u.name, o.order_id FROM users u JOIN orders o ON o.user_id = u.user_id AND o.order_id IN (SELECT i.order_id FROM items i)" },
  { sql: "SELECT u.name, i.item_id FROM users u JOIN items i ON i.order_id = u.user_id + 9 AND i.qty IN (SELECT o.user_id FROM orders o)" },
];

export const CTES: Check[] = [
  { sql: "WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT * FROM c" },
  { sql: "WITH RECURSIVE chain AS (SELECT user_id, name, 0 AS depth FROM users WHERE manager_id IS NULL UNION ALL SELECT u.user_id, u.name, chain.depth + 1 FROM users u JOIN chain ON u.manager_id = chain.user_id) SELECT name, depth FROM chain" },
  { sql: "WITH RECURSIVE up (id, boss) AS (SELECT user_id, manager_id FROM users WHERE user_id = 7 UNION ALL SELECT u.user_id, u.manager_id FROM up, users u WHERE u.user_id = up.boss) SELECT id FROM up ORDER BY id", ordered: true },
  { sql: "WITH RECURSIVE c (n) AS (SELECT grp FROM users WHERE grp IS NOT NULL UNION SELECT n + 1 FROM c WHERE n < 4) SELECT n FROM c ORDER BY n", ordered: true },
  { sql: "WITH RECURSIVE c (n) AS (SELECT user_id FROM users WHERE user_id = 1 UNION ALL SELECT n + 1 FROM c) SELECT COUNT(*), MAX(n) FROM c" },
  { sql: "WITH RECURSIVE c (n) AS (SELECT user_id FROM users WHERE user_id = 1 UNION SELECT 1 FROM c) SELECT * FROM c" },
  { sql: "WITH RECURSIVE c (n) AS (SELECT user_id FROM users WHERE user_id = 1 UNION ALL SELECT n + 1.5 FROM c WHERE n < 4) SELECT * FROM c" },
  { sql: "WITH RECURSIVE c (s) AS (SELECT name FROM users WHERE user_id = 1 UNION ALL SELECT CONCAT(s, 'x') FROM c WHERE LENGTH(s) < 200) SELECT * FROM c" },
  { sql: "WITH RECURSIVE c (n) AS (SELECT user_id FROM users WHERE user_id = 1 UNION ALL SELECT MAX(n) + 1 FROM c WHERE n < 3) SELECT * FROM c" },
  { sql: "WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 4) SELECT c.n, u.name FROM c JOIN users u ON u.user_id = c.n" },
  { sql: "WITH t AS (SELECT user_id, name FROM users) SELECT a.name, b.name FROM t a JOIN t b ON b.user_id = a.user_id + 1" },
  { sql: "WITH t (id, nm) AS (SELECT user_id, name FROM users) SELECT nm FROM t WHERE id > 3" },
];

export const CHECKS: Check[] = [...JOINS, ...SUBQUERIES, ...CTES];

describe("cross-shard subqueries, CTEs and joins answer like one MariaDB", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let gate: mysql.Connection;
  let oracle: mysql.Connection;

  beforeAll(async () => {
    ({ cluster, cleanup } = await startExampleCluster("tests/e2e/src/subq-cluster/spec.json"));
    gate = await connectGate(cluster.gatePort, "commerce");
    oracle = await connectOracle(cluster.tablets[0]!, { multipleStatements: true });
    for (const s of SCHEMA) await oracle.query(s);
    for (const s of DATA) { await oracle.query(s); await gate.query(s); }
  }, 180_000);
  afterAll(async () => {
    await gate?.end().catch(() => {});
    await oracle?.end().catch(() => {});
    await cleanup?.();
  });

  const answer = async (c: mysql.Connection, sql: string): Promise<unknown> => {
    try {
      return await rows(c, sql);
    } catch (e) {
      return { errno: (e as { errno?: number }).errno, message: (e as Error).message };
    }
  };

  it("SET max_recursive_iterations bounds a recursive CTE evaluated in vtgate as it bounds MariaDB's", async () => {
    const sql = "WITH RECURSIVE c (n) AS (SELECT user_id FROM users WHERE user_id = 2 UNION ALL SELECT n + 1 FROM c WHERE n < 100) SELECT COUNT(*), MAX(n) FROM c";
    for (const conn of [gate, oracle]) await conn.query("SET max_recursive_iterations = 5");
    try {
      expect(await rows(gate, sql)).toEqual(await rows(oracle, sql));
      expect(await rows(gate, sql)).toEqual([["6", "7"]]);
    } finally {
      for (const conn of [gate, oracle]) await conn.query("SET max_recursive_iterations = 1000");
    }
  });

  it.each(CHECKS.map((c) => [c.sql, c] as const))("%s", async (_, c) => {
    const want = await answer(oracle, c.sql);
    const got = await answer(gate, c.sql);
    if (Array.isArray(want) && !Array.isArray(got)) expect.fail(`vtgate: ${(got as { message: string }).message}`);
    const norm = (x: unknown) => (Array.isArray(x) ? (c.ordered ? x : [...x].map((r) => JSON.stringify(r)).sort()) : { errno: (x as { errno: number }).errno });
    expect(norm(got)).toEqual(norm(want));
  });
});
