import { describe, expect, it } from "vitest";
import { compareCollated, generalCiWeight, generalCiWeightOf } from "./collation.js";

const enc = new TextEncoder();
const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
/** The reference order: weight strings (what compareCollated computed for every pair before its byte fast path). */
const byWeights = (a: string, b: string): number => {
  const wa = generalCiWeight(a);
  const wb = generalCiWeight(b);
  return wa < wb ? -1 : wa > wb ? 1 : 0;
};

describe("compareCollated (general_ci)", () => {
  it("orders like the weight strings: case folding, PAD SPACE, control characters, non-ASCII", () => {
    const cases: [string, string][] = [
      ["abc", "ABC"], ["abc", "abc   "], ["ab ", "ab\t"], ["ab", "ab\t"], ["ab ", "ab!"], ["a_b", "A_B"], ["[", "a"],
      ["Z", "a"], ["`", "A"], ["{", "Z"], ["ab", "abé"], ["abé", "abE"], ["Ñandú", "nandu"], ["x ", "x"], ["", " "], ["", "a"],
    ];
    for (const [a, b] of cases) {
      expect(sign(compareCollated(enc.encode(a), enc.encode(b), 33)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(byWeights(a, b));
      expect(sign(compareCollated(enc.encode(b), enc.encode(a), 33))).toBe(byWeights(b, a));
    }
  });

  it("agrees with the weight strings on random strings", () => {
    const alphabet = ["a", "A", "b", "B", "z", " ", "\t", "_", "[", "`", "{", "0", "é", "É", "ß", "-"];
    let seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const str = (): string => Array.from({ length: rnd(6) }, () => alphabet[rnd(alphabet.length)]).join("");
    for (let i = 0; i < 5000; i++) {
      const a = str();
      const b = str();
      expect(sign(compareCollated(enc.encode(a), enc.encode(b), 33)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(byWeights(a, b));
    }
  });

  it("compares bytes for a binary collation", () => {
    expect(sign(compareCollated(enc.encode("a"), enc.encode("A"), 63))).toBe(1);
  });
});

describe("generalCiWeightOf (bytes)", () => {
  const dec = new TextDecoder();
  it("equals generalCiWeight of the decoded text: ASCII, case, PAD SPACE, control characters, multi-byte", () => {
    const cases = ["", " ", "   ", "abc", "ABC", "abc  ", "a b ", "ab\t", "\t ", "a_b-0[`{", "12345678901-23456789012",
      "é", "abé  ", "Ñandú", "straße", "日本語 ", "😀x", "a😀 ", "ǅ", "ﬁ", "\u0000a", "\ufeffabc", "x\u00a0"];
    for (const s of cases) expect(generalCiWeightOf(enc.encode(s)), JSON.stringify(s)).toBe(generalCiWeight(dec.decode(enc.encode(s))));
  });

  it("equals generalCiWeight of the decoded text on random byte strings (invalid UTF-8 included)", () => {
    const alphabet = [0x61, 0x41, 0x7a, 0x5a, 0x20, 0x09, 0x5f, 0x30, 0x7f, 0x00, 0xc3, 0xa9, 0x89, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80];
    let seed = 11;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    for (let i = 0; i < 5000; i++) {
      const b = Uint8Array.from({ length: rnd(8) }, () => alphabet[rnd(alphabet.length)]!);
      expect(generalCiWeightOf(b), `${[...b]}`).toBe(generalCiWeight(dec.decode(b)));
    }
  });
});
