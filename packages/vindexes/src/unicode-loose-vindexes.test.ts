import { describe, expect, it } from "vitest";
import type { Value } from "@vt/sqltypes";
import { defaultVindexRegistry } from "./builtin-vindexes.js";
import { B, N, S, show } from "./test-helpers.js";
import type { SingleColumn } from "./vschema-types.js";

const reg = defaultVindexRegistry();
const md5v = reg.create("unicode_loose_md5", "u") as SingleColumn;
const xxv = reg.create("unicode_loose_xxhash", "x") as SingleColumn;
const map1 = (v: SingleColumn, x: Value) => show((v.map([x]) as ReturnType<typeof md5v.map> & unknown[])[0] as never);

describe("unicode_loose_md5 / unicode_loose_xxhash (vitess-facts §1(b))", () => {
  it.each<[string, Value, string, string]>([
    ["Test", S("Test"), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"],
    ["TEST", S("TEST"), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"],
    ["TEst", S("TEst"), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"],
    ["Te\u0301st", S("Te\u0301st"), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"],
    ["Tést", S("Tést"), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"],
    ["Test ", S("Test "), "0b5edbb401fd7524393690491d64f1f5", "42d21361087a4c07"],
    ["Bést", S("Bést"), "c2b2332e4f73d00741026249706f2fb6", "926975b9ce2ec316"],
    [" Test", S(" Test"), "a2e3515c7e8df1ffd2ccfc11c6b19dd1", "4fcb8be34ec05775"],
    ["Test\\t", S("Test\t"), "82456dd87a9c7a02b1c2056b5abaa272", "20af87fc36e3fd51"],
    ["TéstLooong", S("TéstLooong"), "9683e12b80430cd453f5dfdfba81c9a5", "d3ea873942b484a7"],
    ["T", S("T"), "ac0f9179f51db87fe8ecc0cf40cab97a", "f81c3be2d501fe18"],
    ["NULL", N(), "d41d8cd98f00b204e9800998ecf8427e", "99e9d85137db46ef"],
  ])("%s", (_n, v, m, x) => {
    expect(map1(md5v, v)).toBe(m);
    expect(map1(xxv, v)).toBe(x);
  });
  it("rejects invalid UTF-8", () => {
    expect(() => md5v.map([{ type: B("").type, raw: new Uint8Array([0xff, 0xfe]) }])).toThrow("cannot normalize string containing invalid UTF-8");
  });
  it("shares one table per registry", () => {
    expect(reg.memo("uca-cldr23", () => null)).not.toBeNull();
  });
});

describe("weights match x/text on mixed-script strings", () => {
  it("testdata/uca-xtext-keys.txt", async () => {
    const { readFileSync } = await import("node:fs");
    const { loadUcaPrimaryTable } = await import("./uca-weights.js");
    const t = loadUcaPrimaryTable();
    const lines = readFileSync(new URL("../testdata/uca-xtext-keys.txt", import.meta.url), "utf8").trim().split("\n");
    const bad = lines.filter((l) => {
      const [, s, k = ""] = l.split(" ");
      const bytes = Buffer.from(s!, "hex");
      if (bytes[bytes.length - 1] === 0x20) return false;
      return Buffer.from(t.weights(bytes)).toString("hex") !== k;
    });
    expect(lines.length).toBeGreaterThan(500);
    expect(bad).toEqual([]);
  });
});
