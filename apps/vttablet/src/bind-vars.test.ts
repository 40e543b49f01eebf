import { describe, expect, it } from "vitest";
import { Type, type BindVariable } from "@vt/sqltypes";
import { substituteBindVars, quoteBytes } from "./bind-vars.js";

const enc = new TextEncoder();
const bv = (type: number, s: string): BindVariable => ({ type, value: enc.encode(s), values: [] });
const tuple = (...vs: [number, string][]): BindVariable => ({
  type: Type.TUPLE, value: new Uint8Array(0), values: vs.map(([type, s]) => ({ type, value: enc.encode(s) })),
});

describe("substituteBindVars", () => {
  it.each([
    ["select * from t where id = :id", { id: bv(Type.INT64, "42") }, "select * from t where id = 42"],
    ["select :s", { s: bv(Type.VARCHAR, "it's \"x\"\n\\") }, `select 'it\\'s \\"x\\"\\n\\\\'`],
    ["select :n", { n: bv(Type.NULL_TYPE, "") }, "select NULL"],
    ["select * from t where id in ::ids", { ids: tuple([Type.INT64, "1"], [Type.VARCHAR, "a"]) }, "select * from t where id in (1, 'a')"],
    ["select ':x', `:x`, \":x\" -- :x\n /* :x */ # :x", {}, "select ':x', `:x`, \":x\" -- :x\n /* :x */ # :x"],
    ["set @a := 1", {}, "set @a := 1"],
    ["select :vtg1, :__vals", { vtg1: bv(Type.DECIMAL, "1.5"), __vals: bv(Type.UINT64, "18446744073709551615") }, "select 1.5, 18446744073709551615"],
    ["select 'it''s :x', :y", { y: bv(Type.INT64, "1") }, "select 'it''s :x', 1"],
    ["select :h", { h: bv(Type.HEXNUM, "0x1F") }, "select 0x1F"],
    ["select 5-:a, 6/:a, 7--:a, `a``:x`, \"\\\":x\" /* :x */:a #:x", { a: bv(Type.INT64, "1") },
      "select 5-1, 6/1, 7--1, `a``:x`, \"\\\":x\" /* :x */1 #:x"],
    ["select :a-- :x\n:a", { a: bv(Type.INT64, "2") }, "select 2-- :x\n2"],
  ])("%s", (sql, vars, want) => {
    expect(substituteBindVars(sql, vars)).toBe(want);
  });

  it("rejects a missing bind var", () => {
    expect(() => substituteBindVars("select :nope", {})).toThrow(/missing bind var nope/);
  });

  it("rejects a number that is not a number", () => {
    expect(() => substituteBindVars("select :id", { id: bv(Type.INT64, "1 or 1=1") })).toThrow(/invalid number/);
  });

  it("rejects a scalar for ::list", () => {
    expect(() => substituteBindVars("select ::id", { id: bv(Type.INT64, "1") })).toThrow(/unexpected arg type/);
  });

  it("quotes invalid UTF-8 as a hex literal and keeps unicode", () => {
    expect(quoteBytes(new Uint8Array([0xff, 0x00]))).toBe("X'ff00'");
    expect(quoteBytes(enc.encode("héllo 😀"))).toBe("'héllo 😀'");
  });
});
