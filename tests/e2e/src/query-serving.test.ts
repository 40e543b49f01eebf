// SELECT-side query serving on a real 2-shard cluster: VEXPLAIN QUERIES shows which shards a statement touches,
// VEXPLAIN PLAN / EXPLAIN FORMAT=vitess print the plan, derived tables / CTEs / aggregation over cross-shard joins /
// correlated subqueries answer like one MariaDB, and SET time_zone reaches the tablets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import type mysql from "mysql2/promise";
import { connectGate, rows, startExampleCluster } from "./cluster.js";

describe("query serving (SELECT side)", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let c: mysql.Connection;

  beforeAll(async () => {
    ({ cluster, cleanup } = await startExampleCluster("tests/e2e/src/select-cluster/spec.json"));
    c = await connectGate(cluster.gatePort, "commerce");
    await c.query("INSERT INTO users (user_id, name, email) VALUES (1,'a','a@x'),(2,'b','b@x'),(3,'c','c@x'),(4,'d','d@x'),(5,'e','e@x'),(6,'f','f@x')");
    await c.query("INSERT INTO orders (order_id, user_id, amount, created_at) VALUES (10,1,1.50,'2024-01-01 00:00:00'),(11,1,2.00,'2024-01-02 00:00:00'),(12,2,3.00,'2024-01-03 00:00:00'),(13,5,4.25,'2024-01-04 00:00:00'),(14,6,5.00,'2024-01-05 00:00:00')");
  }, 180_000);
  afterAll(async () => {
    await c?.end().catch(() => {});
    await cleanup?.();
  });

  it("VEXPLAIN QUERIES: a point query touches one shard, an IN list only its shards, a scatter all", async () => {
    const point = await rows(c, "VEXPLAIN QUERIES SELECT name FROM users WHERE user_id = 1");
    expect(point).toHaveLength(1);
    expect(point[0]![1]).toBe("commerce");
    expect(point[0]![3]).toContain("user_id = 1");
    // hash(1) and hash(2) live on -80, hash(4) on 80- (Vitess's hash vindex): two shards, each with its values.
    const inList = await rows(c, "VEXPLAIN QUERIES SELECT name FROM users WHERE user_id IN (1, 2)");
    const inShards = new Set(inList.map((r) => r[2]));
    const scatter = await rows(c, "VEXPLAIN QUERIES SELECT name FROM users");
    expect(scatter.map((r) => r[2]).sort()).toEqual(["-80", "80-"]);
    expect(inList.length).toBe(inShards.size);
    for (const r of inList) expect(r[3]).toMatch(/user_id in \(/);
  });

  it("a tuple IN over the primary vindex (MultiEqual) asks only the tuples' shards and answers like MariaDB", async () => {
    await c.query("INSERT INTO users (user_id, name) VALUES (11, 'mq-a'), (12, 'mq-b'), (14, 'mq-d')");
    try {
      // hash(1), hash(2) and hash(5) live on -80: one shard; adding 4 (80-) makes two.
      const one = await rows(c, "VEXPLAIN QUERIES SELECT name FROM users WHERE (user_id, name) IN ((1, 'x'), (2, 'y'), (5, 'z'))");
      expect(one.map((r) => r[2])).toEqual(["-80"]);
      const two = await rows(c, "VEXPLAIN QUERIES SELECT name FROM users WHERE (user_id, name) IN ((1, 'x'), (4, 'y'))");
      expect(two.map((r) => r[2]).sort()).toEqual(["-80", "80-"]);
      const got = await rows(c, "SELECT user_id, name FROM users WHERE (user_id, name) IN ((11, 'mq-a'), (12, 'nope'), (14, 'mq-d')) ORDER BY user_id");
      expect(got).toEqual([["11", "mq-a"], ["14", "mq-d"]]);
    } finally {
      await c.query("DELETE FROM users WHERE user_id IN (11, 12, 14)");
    }
  });

  it("VEXPLAIN PLAN and EXPLAIN FORMAT=vitess return the plan as JSON", async () => {
    const plan = (await rows(c, "VEXPLAIN PLAN SELECT COUNT(*) FROM (SELECT user_id FROM orders LIMIT 3) AS x"))[0]?.[0];
    const d = JSON.parse(plan ?? "null") as unknown;
    expect(JSON.stringify(d)).toContain("\"OperatorType\":\"Limit\"");
    const plan2 = (await rows(c, "EXPLAIN FORMAT=vitess SELECT name FROM users WHERE user_id = 3"))[0]?.[0];
    expect(JSON.parse(plan2 ?? "null")).toMatchObject({ OperatorType: "Route", Variant: "EqualUnique" });
  });

  it("derived tables, CTEs, aggregation over a cross-shard join, correlated select-list subqueries", async () => {
    expect(await rows(c, "SELECT COUNT(*) FROM (SELECT user_id FROM orders LIMIT 3) AS x")).toEqual([["3"]]);
    expect(await rows(c, "SELECT * FROM (SELECT user_id, name FROM users ORDER BY user_id LIMIT 3) AS f ORDER BY user_id DESC"))
      .toEqual([["3", "c"], ["2", "b"], ["1", "a"]]);
    expect(await rows(c, "WITH t AS (SELECT user_id, SUM(amount) AS total FROM orders GROUP BY user_id) SELECT u.name, t.total FROM t JOIN users u ON u.user_id = t.user_id ORDER BY u.name"))
      .toEqual([["a", "3.50"], ["b", "3.00"], ["e", "4.25"], ["f", "5.00"]]);
    expect(await rows(c, "SELECT MAX(total), COUNT(*) FROM (SELECT user_id, SUM(amount) AS total FROM orders GROUP BY user_id) t")).toEqual([["5.00", "4"]]);
    expect(await rows(c, "SELECT COUNT(*), SUM(o.amount) FROM users u JOIN orders o ON o.order_id = u.user_id + 9")).toEqual([["5", "15.75"]]);
    expect(await rows(c, "SELECT u.user_id, (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.user_id) AS n FROM users u WHERE u.user_id < 3 ORDER BY u.user_id"))
      .toEqual([["1", "2"], ["2", "1"]]);
    expect(await rows(c, "SELECT COUNT(*) FROM (SELECT user_id FROM orders UNION SELECT user_id FROM users) u")).toEqual([["6"]]);
    // Several DISTINCT aggregates across shards: gathered and aggregated in vtgate.
    expect(await rows(c, "SELECT COUNT(DISTINCT user_id), COUNT(DISTINCT amount), SUM(DISTINCT amount) FROM orders WHERE order_id > 9")).toEqual([["4", "5", "15.75"]]);
    // A derived table joined off the shard key: nested loop.
    expect(await rows(c, "SELECT u.name, t.total FROM (SELECT user_id, SUM(amount) AS total FROM orders GROUP BY user_id) t JOIN users u ON u.user_id + 1 = t.user_id ORDER BY u.name"))
      .toEqual([["a", "3.00"], ["d", "4.25"], ["e", "5.00"]]);
    // GROUP_CONCAT: merged from the shards, or gathered for DISTINCT / ORDER BY / SEPARATOR.
    expect(await rows(c, "SELECT user_id, GROUP_CONCAT(order_id) FROM orders WHERE user_id = 1 GROUP BY user_id")).toEqual([["1", "10,11"]]);
    expect(await rows(c, "SELECT GROUP_CONCAT(DISTINCT user_id ORDER BY user_id DESC SEPARATOR '-') FROM orders")).toEqual([["6-5-2-1"]]);
    expect(await rows(c, "SELECT COUNT(*), GROUP_CONCAT(amount ORDER BY amount) FROM orders WHERE amount > 2")).toEqual([["3", "3.00,4.25,5.00"]]);
    // Correlated EXISTS / NOT EXISTS / IN off the shard key: nested-loop semi- and anti-joins.
    expect(await rows(c, "SELECT u.name FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.order_id = u.user_id + 9) ORDER BY u.name LIMIT 3"))
      .toEqual([["a"], ["b"], ["c"]]);
    expect(await rows(c, "SELECT u.name FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = u.user_id + 9) ORDER BY u.name")).toEqual([["f"]]);
    expect(await rows(c, "SELECT u.user_id FROM users u WHERE u.user_id IN (SELECT o.order_id - 9 FROM orders o WHERE o.amount > u.user_id) ORDER BY 1"))
      .toEqual([["1"], ["4"]]);
    expect(await rows(c, "SELECT tier, SUM(amount) / COUNT(*) FROM (SELECT user_id % 2 AS tier, amount FROM orders) t GROUP BY tier ORDER BY tier"))
      .toEqual([["0", "4.000000"], ["1", "2.583333"]]);
  });

  it("SQL_CALC_FOUND_ROWS / FOUND_ROWS() and information_schema for the keyspace", async () => {
    expect(await rows(c, "SELECT SQL_CALC_FOUND_ROWS user_id FROM users ORDER BY user_id LIMIT 2")).toEqual([["1"], ["2"]]);
    expect(await rows(c, "SELECT FOUND_ROWS()")).toEqual([["6"]]);
    expect(await rows(c, "SELECT SQL_CALC_FOUND_ROWS user_id, COUNT(*) FROM orders GROUP BY user_id ORDER BY user_id LIMIT 1")).toEqual([["1", "2"]]);
    expect(await rows(c, "SELECT FOUND_ROWS()")).toEqual([["4"]]);
    expect(await rows(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'commerce' ORDER BY table_name")).toEqual([["orders"], ["users"]]);
  });

  it("SET time_zone reaches the tablets (TIMESTAMP rendered in the session zone)", async () => {
    await c.query("SET time_zone = '+00:00'");
    expect(await rows(c, "SELECT created_at FROM orders WHERE order_id = 10")).toEqual([["2024-01-01 00:00:00"]]);
    await c.query("SET time_zone = '+05:30'");
    expect(await rows(c, "SELECT created_at FROM orders WHERE order_id = 10")).toEqual([["2024-01-01 05:30:00"]]);
    await c.query("SET time_zone = '+00:00'");
  });
});
