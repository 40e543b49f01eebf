import { describe, expect, it } from "vitest";
import type { Value } from "@vt/sqltypes";
import { defaultVindexRegistry } from "./builtin-vindexes.js";
import { I, N, S, show } from "./test-helpers.js";
import { isMultiColumn } from "./vindex-guards.js";
import type { MultiColumn, VindexDestination } from "./vschema-types.js";

const reg = defaultVindexRegistry();
const multi = (type: string, params: Record<string, string>): MultiColumn => {
  const v = reg.create(type, `v_${type}`, params);
  if (!isMultiColumn(v)) throw new Error("not multi column");
  return v;
};
const map1 = (v: MultiColumn, row: Value[]): string => show((v.mapMulti([row]) as VindexDestination[])[0]!);

describe("multicol", () => {
  const m = multi("multicol", { column_count: "3" });
  it.each<[Value[], string]>([
    [[I(1), I(1), I(1)], "166b40166b40166b"],
    [[I(255), I(1), I(1)], "254e88166b40166b"],
    [[I(256), I(1), I(1)], "dd7c0b166b40166b"],
    [[I(1)], "[166b40-166b41]"],
    [[I(1), I(1)], "[166b40166b40-166b40166b41]"],
  ])("%j → %s", (row, want) => expect(map1(m, row)).toBe(want));
  it("cost is the sum, partial allowed", () => expect([m.cost, m.partialOk, m.isUnique]).toEqual([3, true, true]));
  it("too many columns", () => expect(() => m.mapMulti([[I(1), I(1), I(1), I(1)]])).toThrow("maximum allowed 3, got 4"));
  it("custom bytes and vindexes", () => {
    const c = multi("multicol", { column_count: "2", column_bytes: "1,7", column_vindex: "numeric,hash" });
    expect(map1(c, [I(1), I(1)])).toBe("00166b40b44aba4b");
  });
  it.each([[{}], [{ column_count: "9" }], [{ column_count: "2", column_bytes: "5,5" }], [{ column_count: "1", column_vindex: "lookup" }]])("rejects %j", (p) => {
    expect(() => reg.create("multicol", "m", p)).toThrow();
  });
});

describe("region_experimental", () => {
  const r = multi("region_experimental", { region_bytes: "1" });
  it.each<[Value[], string]>([
    [[I(1), I(1)], "01166b40b44aba4bd6"],
    [[I(255), I(1)], "ff166b40b44aba4bd6"],
    [[I(256), I(1)], "00166b40b44aba4bd6"],
    [[I(1)], "[01-02]"],
    [[I(255)], "[ff-]"],
    [[S("abcd"), I(1)], "None"],
    [[I(1), S("abcd")], "None"],
  ])("%j → %s", (row, want) => expect(map1(r, row)).toBe(want));
  it("2 bytes", () => expect(map1(multi("region_experimental", { region_bytes: "2" }), [I(258), I(1)])).toBe("0102166b40b44aba4bd6"));
  it("wrong width", () => expect(() => r.mapMulti([[I(1), I(1), I(1)]])).toThrow("expected 1-2, got 3"));
  it("bad region_bytes", () => expect(() => reg.create("region_experimental", "r", { region_bytes: "3" })).toThrow(/region_bytes/));
});

describe("region_json", () => {
  const r = multi("region_json", { region_map_json: '{"US": 1, "FR": 2}', region_bytes: "1" });
  it.each<[Value[], string]>([
    [[I(1), S("US")], "01166b40b44aba4bd6"],
    [[I(1), S("FR")], "02166b40b44aba4bd6"],
    [[I(1), S("XX")], "None"],
    [[N(), S("US")], "None"],
    [[I(1)], "None"],
  ])("%j → %s", (row, want) => expect(map1(r, row)).toBe(want));
  it("needs region_map", () => expect(() => reg.create("region_json", "r", { region_bytes: "1" })).toThrow(/region_map/));
});
