import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Type, type Value, valueFromString } from "@vt/sqltypes";
import { type Destination, describeDestination, evenShards, parseShardName, resolveDestination } from "@vt/key";
import { defaultVindexRegistry } from "./builtin-vindexes.js";
import { HashVindex } from "./hash.js";
import { B, I, N, S, U, hex, show } from "./test-helpers.js";
import { isReversible, isSingleColumn } from "./vindex-guards.js";
import type { SingleColumn } from "./vschema-types.js";
import { xxhash64 } from "./xxhash64.js";

const reg = defaultVindexRegistry();
const single = (type: string, params: Record<string, string> = {}): SingleColumn => {
  const v = reg.create(type, `v_${type}`, params);
  if (!isSingleColumn(v)) throw new Error("not single column");
  return v;
};
const map1 = (v: SingleColumn, x: Value): string => show((v.map([x]) as ReturnType<HashVindex["map"]>)[0]!);

describe("hash", () => {
  const h = single("hash");
  it.each<[string, Value, string, string, string]>([
    ["Int64 1", I(1), "166b40b44aba4bd6", "-80", "-40"],
    ["Int64 2", I(2), "06e7ea22ce92708f", "-80", "-40"],
    ["Int64 3", I(3), "4eb190c9a2fa169c", "-80", "40-80"],
    ["Int64 4", I(4), "d2fd8867d50d2dfe", "80-", "c0-"],
    ["Int64 5", I(5), "70bb023c810ca87a", "-80", "40-80"],
    ["Int64 6", I(6), "f098480ac4c4be71", "80-", "c0-"],
    ["Int64 0", I(0), "8ca64de9c1b123a7", "80-", "80-c0"],
    ["Int64 -1", I(-1), "355550b2150e2451", "-80", "-40"],
    ["Uint64 max", U(18446744073709551615n), "355550b2150e2451", "-80", "-40"],
    ["Int64 max", I(9223372036854775807n), "f77d48aadda1f1bb", "80-", "c0-"],
    ["Uint64 2^63-1", U(9223372036854775807n), "f77d48aadda1f1bb", "80-", "c0-"],
    ["Int64 min", I(-9223372036854775808n), "95f8a5e5dd31d900", "80-", "80-c0"],
    ["VarChar 1", S("1"), "166b40b44aba4bd6", "-80", "-40"],
    ["Int32 7", valueFromString(Type.INT32, "7"), "fb8baaad918119b8", "80-", "c0-"],
    ["Int64 100", I(100), "83aab1569cbe1b08", "80-", "80-c0"],
    ["Int64 1000", I(1000), "1f7db68037e0ff5a", "-80", "-40"],
  ])("%s → %s", (_n, v, want, two, four) => {
    expect(map1(h, v)).toBe(want);
    for (const [n, shard] of [[2, two], [4, four]] as const) {
      const shards = evenShards(n).map((name) => ({ name, keyRange: parseShardName(name) }));
      expect(resolveDestination((h.map([v]) as ReturnType<HashVindex["map"]>)[0]!, shards)).toEqual([shard]);
    }
  });
  it.each<[string, Value]>([["NULL", N()], ["VarBinary aa", B("aa")], ["Float 1.1", valueFromString(Type.FLOAT64, "1.1")], ["VarChar -1", S("-1")]])(
    "%s → None", (_n, v) => expect(map1(h, v)).toBe("None"));
  it("verify", () => {
    expect(h.verify([I(1), I(2)], [hex("166b40b44aba4bd6"), hex("166b40b44aba4bd6")])).toEqual([true, false]);
    expect(() => h.verify([B("aa")], [hex("00")])).toThrow('cannot parse uint64 from "aa"');
  });
  it("reverseMap", () => {
    const r = reg.create("hash", "h", {});
    if (!isReversible(r)) throw new Error("not reversible");
    const ids = ["166b40b44aba4bd6", "355550b2150e2451", "95f8a5e5dd31d900"].map(hex);
    expect(r.reverseMap(ids).map((v) => [v.type, Buffer.from(v.raw!).toString()])).toEqual([
      [Type.UINT64, "1"], [Type.UINT64, "18446744073709551615"], [Type.UINT64, "9223372036854775808"],
    ]);
    expect(() => r.reverseMap([hex("166b40b44aba4bd6166b40b44aba4bd6")])).toThrow("invalid keyspace id: 166b40b44aba4bd6166b40b44aba4bd6");
  });
  it("cost/unique", () => expect([h.cost, h.isUnique, h.needsVCursor]).toEqual([1, true, false]));
});

describe("xxhash", () => {
  const x = single("xxhash");
  it.each<[string, Value, string]>([
    ["test1", S("test1"), "d01ab7e4d6978f0b"],
    ["test2", S("test2"), "87eb11714c0a0e89"],
    ["long", S("testaverylongvaluetomakesurethisworks"), "81d8c38e0d850e6a"],
    ["Int64 1", I(1), "d46405367612b4b7"],
    ["NULL", N(), "99e9d85137db46ef"],
    ["Int64 -1", I(-1), "d8e2a6a7c8c7623d"],
    ["Uint64 max", U(18446744073709551615n), "477cfa8d6d8f1f8d"],
    ["Int64 max", I(9223372036854775807n), "b37eb01f7bffafd8"],
    ["Uint64 2^63-1", U(9223372036854775807n), "b37eb01f7bffafd8"],
    ["Int64 min", I(-9223372036854775808n), "102c27ddb26a609e"],
  ])("%s → %s", (_n, v, want) => expect(map1(x, v)).toBe(want));
  it("short input reference", () => {
    // XXH64("abc", seed 0), a published reference value.
    expect(xxhash64(new TextEncoder().encode("abc"))).toBe(0x44bc2cf5ad770999n);
  });
});

describe("binary, binary_md5, numeric, reverse_bits, null", () => {
  it.each<[string, Value, string]>([
    ["test1", S("test1"), "5a105e8b9d40e1329780d62ea2265d8a"],
    ["TEST", S("TEST"), "033bd94b1168d7e4f0d644c3c95e35bf"],
    ["Test", S("Test"), "0cbc6611f5540bd0809a388dc95a615b"],
    ["NULL", N(), "d41d8cd98f00b204e9800998ecf8427e"],
  ])("binary_md5 %s", (_n, v, want) => expect(map1(single("binary_md5"), v)).toBe(want));
  it("binary is identity and reverses", () => {
    const b = reg.create("binary", "b", {});
    expect(map1(b as SingleColumn, B("test1"))).toBe(Buffer.from("test1").toString("hex"));
    if (!isReversible(b)) throw new Error();
    expect(Buffer.from(b.reverseMap([hex("7465")])[0]!.raw!).toString()).toBe("te");
    expect(b.cost).toBe(0);
  });
  it.each<[string, Value, string]>([
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((n): [string, Value, string] => [`${n}`, I(n), `000000000000000${n}`]),
    ["Int32 8", valueFromString(Type.INT32, "8"), "0000000000000008"],
    ["Float64 1.1", valueFromString(Type.FLOAT64, "1.1"), "None"],
    ["NULL", N(), "None"],
  ])("numeric %s", (_n, v, want) => expect(map1(single("numeric"), v)).toBe(want));
  it("numeric reverses", () => {
    const n = reg.create("numeric", "n", {});
    if (!isReversible(n)) throw new Error();
    expect(Buffer.from(n.reverseMap([hex("0000000000000008")])[0]!.raw!).toString()).toBe("8");
    expect(() => n.reverseMap([hex("00")])).toThrow("Numeric.ReverseMap: length of keyspaceId is not 8: 1");
  });
  it.each([[1, "8000000000000000"], [2, "4000000000000000"], [3, "c000000000000000"], [4, "2000000000000000"], [5, "a000000000000000"], [6, "6000000000000000"]])(
    "reverse_bits %i → %s", (n, want) => expect(map1(single("reverse_bits"), I(n))).toBe(want));
  it("reverse_bits NULL and reverse", () => {
    const r = reg.create("reverse_bits", "r", {});
    expect(map1(r as SingleColumn, N())).toBe("None");
    if (!isReversible(r)) throw new Error();
    expect(Buffer.from(r.reverseMap([hex("c000000000000000")])[0]!.raw!).toString()).toBe("3");
  });
  it("null", () => {
    const n = single("null");
    expect([map1(n, I(5)), map1(n, N()), n.cost]).toEqual(["00", "00", 100]);
  });
});

describe("numeric_static_map", () => {
  it("maps via json, falls back to identity or a Hashing vindex", () => {
    const m = single("numeric_static_map", { json: '{"1": 2, "3": "4"}' });
    expect([map1(m, I(1)), map1(m, I(3)), map1(m, I(9)), map1(m, N())]).toEqual(["0000000000000002", "0000000000000004", "0000000000000009", "None"]);
    const f = single("numeric_static_map", { json: '{"1": 2}', fallback_type: "hash" });
    expect([map1(f, I(1)), map1(f, I(2))]).toEqual(["0000000000000002", "06e7ea22ce92708f"]);
  });
  it.each<[Record<string, string>, RegExp]>([
    [{}, /Could not find either/],
    [{ json: "{}", json_path: "/x" }, /Found both/],
    [{ json: "{x" }, /invalid JSON/],
    [{ json: "{}", fallback_type: "lookup" }, /.+/],
  ])("rejects %j", (p, re) => expect(() => reg.create("numeric_static_map", "m", p)).toThrow(re));
});

describe("cfc", () => {
  it("identity without hash", () => expect(map1(single("cfc"), B("abc"))).toBe("616263"));
  it("md5 of whole key", () => expect(map1(single("cfc", { hash: "md5" }), B("test1"))).toBe("5a105e8b9d40e1329780d62ea2265d8a"));
  it("offsets hash each component", () => {
    const c = single("cfc", { hash: "md5", offsets: "[2,4]" });
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    expect(map1(c, B("aabbcc"))).toBe(md5("aa") + md5("bb") + md5("cc"));
    expect(() => c.map([B("aabb")])).toThrow("insufficient size for cfc vindex v_cfc. need 5, got 4");
  });
  it("prefix vindex gives key ranges", async () => {
    const c = reg.create("cfc", "c", { hash: "md5", offsets: "[2]" }) as import("./cfc-vindex.js").CfcVindex;
    const p = c.prefixVindex();
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    const start = md5("aa");
    const d = (await p.map([B("aab%")]))[0]!;
    expect(show(d)).toBe(`[${start}-${start.slice(0, -2)}${(parseInt(start.slice(-2), 16) + 1).toString(16).padStart(2, "0")}]`);
    const raw = reg.create("cfc", "r", {}) as import("./cfc-vindex.js").CfcVindex;
    expect(show((await raw.prefixVindex().map([B("ab\\%c%")]))[0]!)).toBe("[61622563-61622564]");
    expect(show((await raw.prefixVindex().map([B("%")]))[0]!)).toBe("[-]");
  });
  it.each([[{ hash: "sha1" }], [{ offsets: "[2]" }], [{ hash: "md5", offsets: "[4,2]" }]])("rejects %j", (p) => {
    expect(() => reg.create("cfc", "c", p)).toThrow();
  });
});

describe("unknown params", () => {
  it("reports them", async () => {
    const { unknownParams } = await import("./vindex-registry.js");
    expect(unknownParams(reg.create("hash", "h", { foo: "1", bar: "2" }))).toEqual(["bar", "foo"]);
    expect(unknownParams(reg.create("lookup", "l", { table: "t", from: "a", to: "b", write_only: "true", x: "y" }))).toEqual(["x"]);
  });
  it("unknown type", () => expect(() => reg.create("nope", "n")).toThrow('vindexType "nope" not found'));
});

describe("properties", () => {
  it("hash ksid is the same for Int64, Uint64 and text forms; each lands in exactly one shard", () => {
    const h = single("hash");
    const layouts = [2, 4, 8, 16].map((n) => evenShards(n).map((name) => ({ name, keyRange: parseShardName(name) })));
    for (let i = 0; i < 200; i++) {
      const n = BigInt(i * 7919);
      const forms = [I(n), U(n), S(n.toString()), B(n.toString())].map((v) => map1(h, v));
      expect(new Set(forms).size).toBe(1);
      const d = (h.map([I(n)]) as ReturnType<HashVindex["map"]>)[0]!;
      for (const shards of layouts) expect(resolveDestination(d, shards)).toHaveLength(1);
    }
    expect(map1(h, I(-5))).toBe(map1(h, U(18446744073709551611n)));
  });
  it("a vindex destination is a @vt/key Destination", () => {
    const d: Destination = (single("hash").map([I(1)]) as ReturnType<HashVindex["map"]>)[0]!;
    expect(describeDestination(d)).toBe("DestinationKeyspaceID(166b40b44aba4bd6)");
  });
});
