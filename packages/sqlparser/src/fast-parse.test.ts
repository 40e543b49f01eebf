// The fast parser must give exactly the AST the node-sql-parser route gives, wherever it accepts a statement.
// Corpora: the differential compat corpus (../shared/compat/queries.jsonl, when present), the planner's golden inputs,
// the sysbench statements, SQL strings from the repo's sources (testdata/repo-statements.txt, regenerated with
// `grep -rhoE '"(select|insert|update|delete|replace) [^"$]{3,400}"' -i --include=*.ts apps packages tests`), each as
// written and normalized; plus a seeded fuzzer over literals, identifiers, quoting, comments and statement shapes.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fastParse } from "./fast-parse.js";
import { normalize } from "./normalize.js";
import { parse, parseFull } from "./parse.js";
import { SqlGen } from "./sql-gen.js";
import { SYSBENCH_STATEMENTS } from "./sysbench-statements.js";
import { words } from "./vitess-syntax.js";

const here = (p: string): URL => new URL(p, import.meta.url);

const SYSBENCH = SYSBENCH_STATEMENTS;

function compatCorpus(): string[] {
  const f = here("../../../../shared/compat/queries.jsonl");
  if (!existsSync(f)) return [];
  return readFileSync(f, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => (JSON.parse(l) as { sql: string }).sql);
}

function plannerCorpus(): string[] {
  const dir = here("../../planner/testdata/");
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".json"))) {
    for (const c of JSON.parse(readFileSync(new URL(f, dir), "utf8")) as { query: string }[]) out.push(c.query);
  }
  return out;
}

function repoCorpus(): string[] {
  return readFileSync(here("../testdata/repo-statements.txt"), "utf8").split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

/** JSON of the AST, or the error's message: the two routes must agree on both. */
function outcome(f: (s: string) => unknown, sql: string): string {
  try {
    return JSON.stringify(f(sql));
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
}

function fastAccepts(sql: string): boolean {
  try {
    return fastParse(words(sql)) !== undefined;
  } catch {
    return false;
  }
}

/** Checks every statement (as written and normalized); returns how many the fast parser accepted. */
function checkAll(list: readonly string[]): { accepted: number; total: number; mismatches: string[] } {
  let accepted = 0;
  let total = 0;
  const mismatches: string[] = [];
  for (const raw of list) {
    let variants = [raw];
    try { variants = [raw, normalize(raw).normalized]; } catch { /* unterminated quote: raw only */ }
    for (const sql of variants) {
      total++;
      if (fastAccepts(sql)) accepted++;
      const a = outcome(parse, sql);
      const b = outcome(parseFull, sql);
      if (a !== b) mismatches.push(`${sql}\n  fast: ${a}\n  full: ${b}`);
    }
  }
  return { accepted, total, mismatches };
}

describe("fast parser ≡ node-sql-parser route", () => {
  it("sysbench statements: all take the fast path, same AST", () => {
    const r = checkAll(SYSBENCH);
    expect(r.mismatches).toEqual([]);
    expect(r.accepted).toBe(r.total);
  });

  it("planner golden inputs", () => {
    const r = checkAll(plannerCorpus());
    expect(r.mismatches).toEqual([]);
    expect(r.accepted).toBeGreaterThan(r.total / 2);
  });

  it("compat corpus", () => {
    const list = compatCorpus();
    const r = checkAll(list);
    expect(r.mismatches).toEqual([]);
    if (list.length > 0) expect(r.accepted).toBeGreaterThan(r.total / 2);
  });

  it("SQL strings from the repo", () => {
    const r = checkAll(repoCorpus());
    expect(r.mismatches).toEqual([]);
    expect(r.accepted).toBeGreaterThan(r.total / 2);
  });

  it("fuzz: literals, identifiers, quoting, comments, shapes", () => {
    const gen = new SqlGen(0x5eed);
    const list: string[] = [];
    for (let i = 0; i < Number(process.env.SQL_FUZZ_N ?? 600); i++) list.push(gen.statement());
    const r = checkAll(list);
    expect(r.mismatches.slice(0, 10)).toEqual([]);
    expect(r.accepted).toBeGreaterThan(r.total / 6);
  });

  it("subqueries, derived tables, INSERT ... SELECT and VALUES() take the fast path", () => {
    for (const sql of [
      "select a from t where a in (select b from u where u.x = t.y) and not exists (select 1 from v)",
      "select * from (select a, b from t where x = :vtg1) as d join u on u.a = d.a",
      "insert into t (a, b) select c, d from u where x = 1",
      "insert into t (a, b) values (:vtg1, :vtg2) on duplicate key update b = values(b)",
    ]) {
      expect(fastAccepts(sql), sql).toBe(true);
      expect(parse(sql)).toEqual(parseFull(sql));
    }
  });

  it("absurdly deep nesting is left to the full parser (no stack overflow escapes)", () => {
    const deep = `select ${"(".repeat(20000)}1${")".repeat(20000)} from t`;
    expect(fastParse(words(deep))).toBeUndefined();
  });

  it("the fast path gives up on node-sql-parser's mis-parses instead of guessing", () => {
    for (const sql of [
      "select a | b & c from t", "select a from t where 1 = 1 || 2 = 2", "select a from t where not (a = 1 or b = 2)",
      "select a - -1 from t", "select a from t where a like 'x' escape '!'", "select 'x' 'y' from t",
      "select a from t where a is unknown", "select (select a, b from u) from t", "select a xor b from t",
    ]) expect(fastAccepts(sql), sql).toBe(false);
  });
});
