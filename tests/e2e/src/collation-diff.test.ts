// Differential check of what vtgate computes itself on general_ci text (merge-sort, DISTINCT, GROUP BY, COUNT(DISTINCT)
// across 2 shards) against one plain MariaDB holding the same rows: case, trailing spaces (PAD SPACE), accents, ß,
// characters outside the BMP, NULLs and binary columns. Where MariaDB may return any member of a group of equal
// strings (DISTINCT, GROUP BY), each row must equal MariaDB's row under the collation, as MariaDB itself judges.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import mysql from "mysql2/promise";
import { connectGate, connectOracle, rows, startExampleCluster } from "./cluster.js";

const WORDS = ["a", "A", "a ", "b", "B", "é", "E", "e", "ß", "s", "SS", "日本", "日本 ", "😀", "😃", "", " ", null, null,
  "Ñandú", "nandu", "zz", "Zz ", "x", "-12345678901", "12345678901-"];
const BYTES = (w: string | null, i: number): string | null => (w === null ? (i % 2 === 0 ? null : "n") : w.trim().toLowerCase() === "a" ? w : `${w}${i % 3}`);
const SCHEMA = "CREATE TABLE words (id BIGINT NOT NULL, w VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci, b VARBINARY(40), PRIMARY KEY (id))";

describe("general_ci text computed in vtgate answers like one MariaDB", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let gate: mysql.Connection;
  let oracle: mysql.Connection;

  beforeAll(async () => {
    ({ cluster, cleanup } = await startExampleCluster("tests/e2e/src/collation-cluster/spec.json"));
    gate = await connectGate(cluster.gatePort, "commerce");
    oracle = await connectOracle(cluster.tablets[0]!, { charset: "UTF8MB4_GENERAL_CI" });
    await oracle.query(SCHEMA);
    const values = WORDS.map((w, i) => [i + 1, w, BYTES(w, i)]);
    const insert = "INSERT INTO words (id, w, b) VALUES ?";
    await oracle.query(insert, [values]);
    await gate.query(mysql.format(insert, [values]));
  }, 180_000);
  afterAll(async () => {
    await gate?.end().catch(() => {});
    await oracle?.end().catch(() => {});
    await cleanup?.();
  });

  /** True when MariaDB finds the two strings equal under utf8mb4_general_ci (NULL equals NULL). */
  const same = async (x: string | null, y: string | null): Promise<boolean> =>
    (await rows(oracle, mysql.format("SELECT CONVERT(? USING utf8mb4) COLLATE utf8mb4_general_ci <=> CONVERT(? USING utf8mb4)", [x, y])))[0]![0] === "1";

  /** Same row count; columns in `ci` equal under the collation, the others byte for byte. */
  const expectCollatedRows = async (sql: string, ci: readonly number[]): Promise<void> => {
    const want = await rows(oracle, sql);
    const got = await rows(gate, sql);
    expect(got.length, sql).toBe(want.length);
    for (let r = 0; r < want.length; r++) {
      for (let c = 0; c < want[r]!.length; c++) {
        const g = got[r]![c]!;
        const w = want[r]![c]!;
        if (ci.includes(c)) expect(await same(g, w), `${sql}: row ${r} ${JSON.stringify(g)} vs ${JSON.stringify(w)}`).toBe(true);
        else expect(g, `${sql}: row ${r} col ${c}`).toEqual(w);
      }
    }
  };

  it("ORDER BY w, id orders rows exactly as MariaDB (ties by weight broken by id)", async () => {
    for (const sql of ["SELECT id FROM words ORDER BY w, id", "SELECT id FROM words ORDER BY w DESC, id", "SELECT id, w FROM words ORDER BY w, id DESC"]) {
      expect(await rows(gate, sql), sql).toEqual(await rows(oracle, sql));
    }
  });

  it("DISTINCT over merge-sorted and unsorted input keeps one row per collation group, as MariaDB", async () => {
    await expectCollatedRows("SELECT DISTINCT w FROM words ORDER BY w", [0]);
    await expectCollatedRows("SELECT DISTINCT w FROM words ORDER BY w DESC", [0]);
    await expectCollatedRows("SELECT DISTINCT w, b FROM words ORDER BY w, b", [0]);
    await expectCollatedRows("SELECT DISTINCT b FROM words ORDER BY b", []);
    await expectCollatedRows("SELECT COUNT(*) FROM (SELECT DISTINCT w FROM words) t", []);
    const unordered = await rows(gate, "SELECT DISTINCT w FROM words");
    expect(unordered.length).toBe((await rows(oracle, "SELECT DISTINCT w FROM words")).length);
  });

  it("GROUP BY and COUNT(DISTINCT) group by weight, as MariaDB", async () => {
    await expectCollatedRows("SELECT w, COUNT(*) FROM words GROUP BY w ORDER BY w", [0]);
    await expectCollatedRows("SELECT COUNT(DISTINCT w), COUNT(DISTINCT b) FROM words", []);
  });
});
