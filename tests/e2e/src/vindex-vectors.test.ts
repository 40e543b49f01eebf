// The vindex-vectors check, run for real through vtgate: Vitess's keyspace ids through vindex-as-table queries, and
// owned lookup vindexes (consistent_lookup_unique + lookup with ignore_nulls) kept in step with INSERT (multi-row,
// IGNORE, ON DUPLICATE KEY UPDATE), UPDATE and DELETE; plus row moves, INSERT ... SELECT and reference-table writes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import type mysql from "mysql2/promise";
import { connectGate, rows, startExampleCluster } from "./cluster.js";

const VECTORS: [string, string, string][] = [
  ["hash", "1", "166b40b44aba4bd6"], ["hash", "4", "d2fd8867d50d2dfe"], ["hash", "-1", "355550b2150e2451"],
  ["hash", "9223372036854775807", "f77d48aadda1f1bb"],
  ["xxhash", "'test1'", "d01ab7e4d6978f0b"], ["xxhash", "1", "d46405367612b4b7"],
  ["binary_md5", "'test1'", "5a105e8b9d40e1329780d62ea2265d8a"],
  ["numeric", "1", "0000000000000001"], ["reverse_bits", "3", "c000000000000000"],
  ["unicode_loose_md5", "'Test'", "0b5edbb401fd7524393690491d64f1f5"], ["unicode_loose_md5", "'TEST'", "0b5edbb401fd7524393690491d64f1f5"],
  ["unicode_loose_md5", "'Bést'", "c2b2332e4f73d00741026249706f2fb6"],
  ["unicode_loose_xxhash", "'Test'", "42d21361087a4c07"], ["unicode_loose_xxhash", "'TéstLooong'", "d3ea873942b484a7"],
];

describe("vindexes end to end", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let c: mysql.Connection;
  const one = async (sql: string): Promise<string | null | undefined> => (await rows(c, sql))[0]?.[0];
  const count = async (table: string, where = ""): Promise<string | null | undefined> => one(`SELECT COUNT(*) FROM ${table}${where ? ` WHERE ${where}` : ""}`);
  const errno = async (sql: string): Promise<number | undefined> => {
    try { await c.query(sql); return undefined; } catch (e) { return (e as { errno?: number }).errno; }
  };

  beforeAll(async () => {
    ({ cluster, cleanup } = await startExampleCluster("tests/e2e/src/vindex-cluster/spec.json"));
    c = await connectGate(cluster.gatePort, "commerce");
  }, 300_000);
  afterAll(async () => {
    await c?.end().catch(() => {});
    await cleanup?.();
  });

  it("vindex-as-table queries return Vitess's keyspace ids", async () => {
    for (const [vindex, value, want] of VECTORS) {
      expect([vindex, value, await one(`SELECT hex_keyspace_id FROM commerce.${vindex} WHERE id = ${value}`)]).toEqual([vindex, value, want]);
    }
    expect(await rows(c, "SELECT id, hex_keyspace_id, shard FROM hash WHERE id IN (1, 4)")).toEqual([
      ["1", "166b40b44aba4bd6", "-80"], ["4", "d2fd8867d50d2dfe", "80-"],
    ]);
    expect(await one("SELECT shard FROM commerce.hash WHERE id = 100")).toBe("80-");
  });

  it("creates lookup rows on insert and routes reads through them", async () => {
    await c.query("INSERT INTO lk_users (user_id, email, tag) VALUES (1,'a@x.io','red'),(4,'b@x.io',NULL),(100,'c@x.io','red')");
    expect(await count("lk_users_email_idx")).toBe("3");
    expect(await count("tag_idx")).toBe("2");
    expect(await one("SELECT user_id FROM lk_users WHERE email = 'b@x.io'")).toBe("4");
    expect(await rows(c, "SELECT user_id FROM lk_users WHERE tag = 'red' ORDER BY user_id")).toEqual([["1"], ["100"]]);
    const ks = await one("SELECT hex(keyspace_id) FROM lk_users_email_idx WHERE email = 'c@x.io'");
    expect(ks?.toLowerCase()).toBe(await one("SELECT hex_keyspace_id FROM hash WHERE id = 100"));
  });

  it("a duplicate in the unique lookup fails with 1062 and leaves no orphan", async () => {
    expect(await errno("INSERT INTO lk_users (user_id, email) VALUES (2,'b@x.io')")).toBe(1062);
    expect(await errno("INSERT INTO lk_users (user_id, email) VALUES (3,'new@x.io'),(5,'a@x.io')")).toBe(1062);
    expect(await errno("INSERT INTO lk_users (user_id, email) VALUES (8,'same@x.io'),(9,'same@x.io')")).toBe(1062);
    expect(await errno("UPDATE lk_users SET email = 'b@x.io' WHERE user_id = 1")).toBe(1062);
    expect(await count("lk_users")).toBe("3");
    expect(await count("lk_users_email_idx")).toBe("3");
  });

  it("INSERT IGNORE and ON DUPLICATE KEY UPDATE keep the lookup consistent", async () => {
    await c.query("INSERT IGNORE INTO lk_users (user_id, email) VALUES (6,'a@x.io'),(7,'g@x.io')");
    expect(await rows(c, "SELECT user_id FROM lk_users WHERE user_id IN (6, 7)")).toEqual([["7"]]);
    expect(await count("lk_users_email_idx")).toBe("4");
    await c.query("INSERT INTO lk_users (user_id, email, name) VALUES (7,'g@x.io','seven') ON DUPLICATE KEY UPDATE name = 'seven'");
    expect(await one("SELECT name FROM lk_users WHERE email = 'g@x.io'")).toBe("seven");
    expect(await count("lk_users_email_idx")).toBe("4");
  });

  it("UPDATE of a looked-up column replaces its lookup row", async () => {
    await c.query("UPDATE lk_users SET email = 'd@x.io', tag = 'blue' WHERE user_id = 4");
    expect(await count("lk_users_email_idx", "email = 'd@x.io'")).toBe("1");
    expect(await count("lk_users_email_idx", "email = 'b@x.io'")).toBe("0");
    expect(await count("tag_idx", "tag = 'blue'")).toBe("1");
    expect(await one("SELECT user_id FROM lk_users WHERE email = 'd@x.io'")).toBe("4");
    await c.query("UPDATE lk_users SET name = 'n' WHERE user_id = 4");
    expect(await count("lk_users_email_idx")).toBe("4");
  });

  it("DELETE removes the rows' lookup rows", async () => {
    await c.query("DELETE FROM lk_users WHERE user_id = 4");
    expect(await count("lk_users_email_idx")).toBe("3");
    expect(await count("tag_idx", "tag = 'blue'")).toBe("0");
    await c.query("DELETE FROM lk_users WHERE email = 'g@x.io'");
    expect(await count("lk_users_email_idx")).toBe("2");
    expect(await count("lk_users")).toBe("2");
  });

  it("UPDATE of the primary vindex column moves the row", async () => {
    await c.query("UPDATE lk_users SET user_id = 200 WHERE user_id = 1");
    expect(await rows(c, "SELECT user_id, email, tag FROM lk_users WHERE email = 'a@x.io'")).toEqual([["200", "a@x.io", "red"]]);
    const ks = await one("SELECT hex(keyspace_id) FROM lk_users_email_idx WHERE email = 'a@x.io'");
    expect(ks?.toLowerCase()).toBe(await one("SELECT hex_keyspace_id FROM hash WHERE id = 200"));
    await c.query("INSERT INTO plain (id, v) VALUES (1, 'one')");
    await c.query("UPDATE plain SET id = 100, v = 'moved' WHERE id = 1");
    expect(await rows(c, "SELECT id, v FROM plain")).toEqual([["100", "moved"]]);
  });

  it("INSERT ... SELECT gathers then inserts per shard", async () => {
    await c.query("INSERT INTO plain (id, v) SELECT user_id + 1000, email FROM lk_users");
    expect(await rows(c, "SELECT id, v FROM plain ORDER BY id")).toEqual([["100", "moved"], ["1100", "c@x.io"], ["1200", "a@x.io"]]);
  });

  it("multi-shard UPDATE/DELETE with ORDER BY ... LIMIT change exactly the first rows", async () => {
    await c.query("INSERT INTO plain (id, v) VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e'),(6,'f')");
    const [u] = await c.query("UPDATE plain SET v = 'x' WHERE id < 100 ORDER BY id DESC LIMIT 4");
    expect((u as { affectedRows: number }).affectedRows).toBe(4);
    expect(await rows(c, "SELECT id, v FROM plain WHERE id < 100 ORDER BY id")).toEqual([["1", "a"], ["2", "b"], ["3", "x"], ["4", "x"], ["5", "x"], ["6", "x"]]);
    await c.query("DELETE FROM plain WHERE id < 100 ORDER BY v, id LIMIT 3");
    expect(await rows(c, "SELECT id FROM plain WHERE id < 100 ORDER BY id")).toEqual([["4"], ["5"], ["6"]]);
  });

  it("multi-table UPDATE and DELETE over tables joined on their primary vindex", async () => {
    await c.query("UPDATE plain p JOIN lk_users u ON u.user_id = p.id SET p.v = u.email");
    expect(await one("SELECT v FROM plain WHERE id = 100")).toBe("c@x.io");
    await c.query("DELETE p FROM plain p JOIN lk_users u ON u.user_id = p.id WHERE u.email = 'c@x.io'");
    expect(await count("plain", "id = 100")).toBe("0");
    expect(await count("lk_users")).toBe("2");
  });

  it("auto_increment takes ids from the sequence in the unsharded keyspace; LAST_INSERT_ID is the first", async () => {
    await c.query("INSERT INTO seqks.user_seq (id, next_id, cache) VALUES (0, 1, 5)");
    const [r] = await c.query("INSERT INTO autoinc (v) VALUES ('a'), ('b'), ('c')");
    expect((r as { insertId: number }).insertId).toBe(1);
    const [r2] = await c.query("INSERT INTO autoinc (id, v) VALUES (NULL, 'd'), (100, 'e')");
    expect((r2 as { insertId: number }).insertId).toBe(4);
    expect(await rows(c, "SELECT id, v FROM autoinc ORDER BY id")).toEqual([["1", "a"], ["2", "b"], ["3", "c"], ["4", "d"], ["100", "e"]]);
  });

  it("a lookup_unique whose table lives in an unsharded keyspace follows insert, update and delete", async () => {
    await c.query("INSERT INTO lk2 (id, code) VALUES (1, 'k1'), (4, 'k4')");
    expect(await rows(c, "SELECT code FROM seqks.code_idx ORDER BY code")).toEqual([["k1"], ["k4"]]);
    expect(await one("SELECT id FROM lk2 WHERE code = 'k4'")).toBe("4");
    expect(await errno("INSERT INTO lk2 (id, code) VALUES (5, 'k1')")).toBe(1062);
    expect(await count("lk2")).toBe("2");
    await c.query("UPDATE lk2 SET code = 'k9' WHERE id = 4");
    expect(await rows(c, "SELECT code FROM seqks.code_idx ORDER BY code")).toEqual([["k1"], ["k9"]]);
    await c.query("DELETE FROM lk2 WHERE code = 'k1'");
    expect(await rows(c, "SELECT code FROM seqks.code_idx")).toEqual([["k9"]]);
    await c.query("BEGIN");
    await c.query("INSERT INTO lk2 (id, code) VALUES (7, 'k7')");
    await c.query("ROLLBACK");
    expect(await rows(c, "SELECT code FROM seqks.code_idx")).toEqual([["k9"]]);
  });

  it("INSERT ... SELECT from a sharded table into an unsharded one gathers the rows", async () => {
    await c.query("INSERT INTO seqks.code_idx (code, keyspace_id) SELECT CONCAT('u', user_id), NULL FROM lk_users");
    expect(await rows(c, "SELECT code FROM seqks.code_idx WHERE code LIKE 'u%' ORDER BY code")).toEqual([["u100"], ["u200"]]);
  });

  it("reference-table writes reach every shard", async () => {
    const [r] = await c.query("INSERT INTO countries (code, name) VALUES ('NL', 'Netherlands'), ('BE', 'Belgium')");
    expect((r as { affectedRows: number }).affectedRows).toBe(2);
    await c.query("UPDATE countries SET name = 'Holland' WHERE code = 'NL'");
    for (const shard of ["-80", "80-"]) {
      const s = await connectGate(cluster.gatePort);
      await s.query(`USE \`commerce:${shard}\``);
      expect(await rows(s, "SELECT code, name FROM countries ORDER BY code")).toEqual([["BE", "Belgium"], ["NL", "Holland"]]);
      await s.end();
    }
  });
});
