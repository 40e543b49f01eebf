import { describe, expect, it } from "vitest";
import { compareCollated, generalCiWeight } from "./collation.js";

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
