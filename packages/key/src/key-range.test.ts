import { describe, expect, it } from "vitest";
import {
  evenShards, keyRangeContains, keyRangeContainsKeyRange, keyRangeEqual, keyRangeIsComplete, keyRangesIntersect,
  keyRangeString, parseShardName, parseShardingSpec,
} from "./key-range.js";
import { compareKsids, ksidFromHex, ksidToHex, normalizeKsid } from "./ksid.js";

const hex = ksidFromHex;

describe("parseShardName", () => {
  it.each([
    ["-80", "", "80"],
    ["80-", "80", ""],
    ["40-80", "40", "80"],
    ["40-C0", "40", "c0"],
    ["0", "", ""],
    ["-", "", ""],
    ["", "", ""],
    ["8000-c000", "8000", "c000"],
  ])("%s → [%s, %s)", (name, s, e) => {
    const kr = parseShardName(name);
    expect(ksidToHex(kr.start)).toBe(s);
    expect(ksidToHex(kr.end)).toBe(e);
  });
  it.each(["80-40", "40-40", "x0-80", "-8", "-80-c0", "4000-40"])("rejects %s", (name) => {
    expect(() => parseShardName(name)).toThrow();
  });
});

describe("keyRangeString", () => {
  it.each([["-80", "-80"], ["80-", "80-"], ["40-c0", "40-c0"], ["0", "-"], ["-", "-"], ["00-00", "-"]])("%s → %s", (name, want) => {
    const kr = name === "00-00" ? { start: hex("00"), end: hex("00") } : parseShardName(name);
    expect(keyRangeString(kr)).toBe(want);
  });
  it("undefined is the full range", () => expect(keyRangeString(undefined)).toBe("-"));
});

describe("keyRangeContains", () => {
  it.each([
    ["-80", "00", true],
    ["-80", "7fffffff", true],
    ["-80", "80", false],
    ["-80", "8000", false],
    ["-8000", "80", false],
    ["80-", "80", true],
    ["80-", "8000000000", true],
    ["80-", "7f", false],
    ["80-", "ff", true],
    ["40-c0", "166b40b44aba4bd6", false],
    ["-40", "166b40b44aba4bd6", true],
    ["40-80", "4eb190c9a2fa169c", true],
    ["-", "ffff", true],
    ["0", "", true],
    ["-80", "", true],
    ["80-", "", false],
  ])("%s contains %s: %s", (shard, id, want) => {
    expect(keyRangeContains(parseShardName(shard), hex(id))).toBe(want);
  });
});

describe("keyRangesIntersect", () => {
  it.each([
    ["-80", "80-", false],
    ["-80", "40-c0", true],
    ["40-80", "80-c0", false],
    ["40-80", "60-70", true],
    ["-", "80-", true],
    ["-80", "-40", true],
    ["c0-", "80-c0", false],
    ["c0-", "80-", true],
    ["-8000", "80-", false],
  ])("%s ∩ %s: %s", (a, b, want) => {
    expect(keyRangesIntersect(parseShardName(a), parseShardName(b))).toBe(want);
    expect(keyRangesIntersect(parseShardName(b), parseShardName(a))).toBe(want);
  });
});

describe("equality, completeness, containment", () => {
  it.each([["80-", "8000-", true], ["-80", "-8000", true], ["-80", "-81", false], ["0", "-", true]])("%s == %s: %s", (a, b, w) => {
    expect(keyRangeEqual(parseShardName(a), parseShardName(b))).toBe(w);
  });
  it("complete", () => {
    expect(keyRangeIsComplete(parseShardName("-"))).toBe(true);
    expect(keyRangeIsComplete(parseShardName("-80"))).toBe(false);
  });
  it.each([["-", "40-80", true], ["-80", "40-80", true], ["40-80", "-80", false], ["80-", "c0-", true], ["c0-", "80-", false], ["-80", "-", false]])(
    "%s ⊇ %s: %s", (a, b, w) => expect(keyRangeContainsKeyRange(parseShardName(a), parseShardName(b))).toBe(w));
});

describe("ksid", () => {
  it("normalises trailing zeros", () => {
    expect(ksidToHex(normalizeKsid(hex("800000")))).toBe("80");
    expect(compareKsids(hex("8000"), hex("80"))).toBe(0);
    expect(compareKsids(hex("7f"), hex("80"))).toBe(-1);
    expect(compareKsids(hex("8001"), hex("80"))).toBe(1);
  });
  it("rejects bad hex", () => expect(() => ksidFromHex("abc")).toThrow(/invalid hex/));
});

describe("evenShards", () => {
  it.each([
    [1, ["-"]],
    [2, ["-80", "80-"]],
    [3, ["-55", "55-aa", "aa-"]],
    [4, ["-40", "40-80", "80-c0", "c0-"]],
    [8, ["-20", "20-40", "40-60", "60-80", "80-a0", "a0-c0", "c0-e0", "e0-"]],
  ])("%i shards", (n, want) => expect(evenShards(n)).toEqual(want));
  it("uses 2-byte bounds past 256", () => {
    const s = evenShards(512);
    expect(s[0]).toBe("-0080");
    expect(s[511]).toBe("ff80-");
  });
  it.each([0, -1, 65537])("rejects %i", (n) => expect(() => evenShards(n)).toThrow());
});

describe("parseShardingSpec", () => {
  it("splits", () => expect(parseShardingSpec("-40-80-").map(keyRangeString)).toEqual(["-40", "40-80", "80-"]));
  it("full", () => expect(parseShardingSpec("-").map(keyRangeString)).toEqual(["-"]));
  it.each(["80", "-80-40-", "--80"])("rejects %s", (s) => expect(() => parseShardingSpec(s)).toThrow());
});
