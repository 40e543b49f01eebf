// The tablet's schema engine: the first load is the baseline; later reloads emit the tables created, altered or
// dropped; DDL detection by first word.
import { describe, expect, it } from "vitest";
import { mayChangeSchema, SchemaEngine, type SchemaSource } from "./schema-engine.js";

describe("SchemaEngine", () => {
  it("emits changed tables on reload after the baseline", async () => {
    let sigs = new Map([["a", "x int,"], ["b", "y int,"]]);
    const source: SchemaSource = { signatures: async () => new Map(sigs), definitions: async () => new Map() };
    const engine = new SchemaEngine(source, { reloadIntervalMs: 0, log: () => undefined });
    const seen: string[][] = [];
    engine.on("changed", (t) => seen.push(t));
    await engine.start();
    expect(await engine.reload()).toEqual([]);
    sigs = new Map([["b", "y bigint,"], ["c", "z int,"]]);
    expect(await engine.reload()).toEqual(["a", "b", "c"]);
    expect(seen).toEqual([["a", "b", "c"]]);
    expect(await engine.reload()).toEqual([]);
  });

  it("keeps the previous state when a reload fails", async () => {
    let fail = false;
    const source: SchemaSource = { signatures: async () => { if (fail) throw new Error("down"); return new Map([["a", "1"]]); }, definitions: async () => new Map() };
    const logs: string[] = [];
    const engine = new SchemaEngine(source, { reloadIntervalMs: 0, log: (m) => logs.push(m) });
    await engine.start();
    fail = true;
    expect(await engine.reload()).toEqual([]);
    fail = false;
    expect(await engine.reload()).toEqual([]);
    expect(logs).toEqual(["schema reload failed: down"]);
  });
});

describe("mayChangeSchema", () => {
  it("spots DDL by its first word, after comments and blanks", () => {
    for (const q of ["create table t (a int)", "  ALTER TABLE t add b int", "/* x */ drop table t", "rename table a to b", "(create table x (a int))"]) {
      expect(mayChangeSchema(q)).toBe(true);
    }
    for (const q of ["select 1", "delete from t", "replace into t values (1)", "alternative", "insert into t values (1)", "/* unterminated"]) {
      expect(mayChangeSchema(q)).toBe(false);
    }
  });
});
