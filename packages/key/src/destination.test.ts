import { describe, expect, it } from "vitest";
import {
  type Destination, DestinationAllShards, DestinationAnyShard, DestinationExactKeyRange, DestinationKeyRange,
  DestinationKeyspaceID, DestinationKeyspaceIDs, DestinationNone, DestinationShard, DestinationShards,
  describeDestination, resolveDestination,
} from "./destination.js";
import { evenShards, parseShardName } from "./key-range.js";
import { ksidFromHex } from "./ksid.js";

const shardsOf = (n: number) => evenShards(n).map((name) => ({ name, keyRange: parseShardName(name) }));
const k = ksidFromHex;

describe("describeDestination", () => {
  it.each<[Destination, string]>([
    [DestinationKeyspaceID(k("166b40b44aba4bd6")), "DestinationKeyspaceID(166b40b44aba4bd6)"],
    [DestinationKeyspaceIDs([k("01"), k("02")]), "DestinationKeyspaceIDs(01,02)"],
    [DestinationKeyRange(parseShardName("40-80")), "DestinationKeyRange(40-80)"],
    [DestinationKeyRange(parseShardName("-")), "DestinationKeyRange(-)"],
    [DestinationExactKeyRange(parseShardName("-80")), "DestinationExactKeyRange(-80)"],
    [DestinationShard("-80"), "DestinationShard(-80)"],
    [DestinationShards(["-80", "80-"]), "DestinationShards(-80,80-)"],
    [DestinationAllShards(), "DestinationAllShards()"],
    [DestinationAnyShard(), "DestinationAnyShard()"],
    [DestinationNone(), "DestinationNone()"],
  ])("%#: %s", (d, want) => expect(describeDestination(d)).toBe(want));
});

describe("resolveDestination", () => {
  // hash vindex vectors (vitess-facts §1(b)) and the shard each lands in.
  it.each([
    ["166b40b44aba4bd6", "-80", "-40"],
    ["06e7ea22ce92708f", "-80", "-40"],
    ["4eb190c9a2fa169c", "-80", "40-80"],
    ["d2fd8867d50d2dfe", "80-", "c0-"],
    ["70bb023c810ca87a", "-80", "40-80"],
    ["f098480ac4c4be71", "80-", "c0-"],
    ["8ca64de9c1b123a7", "80-", "80-c0"],
    ["355550b2150e2451", "-80", "-40"],
    ["f77d48aadda1f1bb", "80-", "c0-"],
    ["95f8a5e5dd31d900", "80-", "80-c0"],
  ])("ksid %s → %s (2) / %s (4)", (id, two, four) => {
    expect(resolveDestination(DestinationKeyspaceID(k(id)), shardsOf(2))).toEqual([two]);
    expect(resolveDestination(DestinationKeyspaceID(k(id)), shardsOf(4))).toEqual([four]);
  });
  it.each([2, 4, 8, 16])("every ksid lands in exactly one of %i shards", (n) => {
    const shards = shardsOf(n);
    for (let b = 0; b < 256; b += 7) {
      const id = new Uint8Array([b, 0x12, 0, 0]);
      expect(resolveDestination(DestinationKeyspaceID(id), shards)).toHaveLength(1);
    }
  });
  it("unsharded", () => {
    expect(resolveDestination(DestinationKeyspaceID(k("ff")), [{ name: "0", keyRange: undefined }])).toEqual(["0"]);
  });
  it("ksids dedupe", () => {
    expect(resolveDestination(DestinationKeyspaceIDs([k("01"), k("02"), k("90")]), shardsOf(2))).toEqual(["-80", "80-"]);
  });
  it("no matching shard", () => {
    expect(() => resolveDestination(DestinationKeyspaceID(k("90")), [{ name: "-80", keyRange: parseShardName("-80") }])).toThrow(/didn't match any shards/);
  });
  it.each([
    ["40-80", 4, ["40-80"]],
    ["30-90", 4, ["-40", "40-80", "80-c0"]],
    ["-", 4, ["-40", "40-80", "80-c0", "c0-"]],
    ["80-", 2, ["80-"]],
    ["7f-81", 2, ["-80", "80-"]],
  ])("key range %s over %i shards", (kr, n, want) => {
    expect(resolveDestination(DestinationKeyRange(parseShardName(kr)), shardsOf(n))).toEqual(want);
  });
  it("exact key range", () => {
    expect(resolveDestination(DestinationExactKeyRange(parseShardName("40-c0")), shardsOf(4))).toEqual(["40-80", "80-c0"]);
    expect(resolveDestination(DestinationExactKeyRange(parseShardName("80-")), shardsOf(4))).toEqual(["80-c0", "c0-"]);
    expect(() => resolveDestination(DestinationExactKeyRange(parseShardName("30-80")), shardsOf(4))).toThrow(/exactly/);
  });
  it("shards, all, any, none", () => {
    expect(resolveDestination(DestinationShard("-80"), shardsOf(2))).toEqual(["-80"]);
    expect(resolveDestination(DestinationShards(["80-", "-80"]), shardsOf(2))).toEqual(["80-", "-80"]);
    expect(resolveDestination(DestinationAllShards(), shardsOf(4))).toHaveLength(4);
    expect(resolveDestination(DestinationAnyShard(), shardsOf(4), { pickAny: () => 2 })).toEqual(["80-c0"]);
    expect(resolveDestination(DestinationAnyShard(), shardsOf(4))).toHaveLength(1);
    expect(resolveDestination(DestinationNone(), shardsOf(4))).toEqual([]);
  });
});
