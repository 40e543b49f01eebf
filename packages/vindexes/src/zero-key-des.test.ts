import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Type } from "@vt/sqltypes";
import { HashVindex, ZeroKeyDes } from "./hash.js";
import { zeroKeyDesBlock } from "./zero-key-des.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("zero-key DES (pure JS)", () => {
  it("matches the hash vindex vectors", () => {
    const des = new ZeroKeyDes();
    const cases: [bigint, string][] = [
      [1n, "166b40b44aba4bd6"], [2n, "06e7ea22ce92708f"], [3n, "4eb190c9a2fa169c"], [4n, "d2fd8867d50d2dfe"],
      [0n, "8ca64de9c1b123a7"], [-1n, "355550b2150e2451"], [(1n << 64n) - 1n, "355550b2150e2451"],
      [(1n << 63n) - 1n, "f77d48aadda1f1bb"], [-(1n << 63n), "95f8a5e5dd31d900"], [1000n, "1f7db68037e0ff5a"],
    ];
    for (const [n, want] of cases) {
      expect(hex(des.hash(n))).toBe(want);
      expect(des.unhash(Buffer.from(want, "hex"))).toBe(BigInt.asUintN(64, n));
    }
  });

  it("equals node:crypto's DES (3DES with K1=K2=K3=0) on random blocks, both directions", () => {
    const e = createCipheriv("des-ede3-ecb", Buffer.alloc(24), null).setAutoPadding(false);
    for (let i = 0; i < 2000; i++) {
      const b = randomBytes(8);
      const got = zeroKeyDesBlock(b);
      expect(hex(got)).toBe(e.update(b).toString("hex"));
      expect(hex(zeroKeyDesBlock(got))).toBe(b.toString("hex"));
    }
  });

  it("the hash vindex's small-decimal fast path agrees with the bigint path", () => {
    const h = new HashVindex("h", {});
    const des = new ZeroKeyDes();
    const raw = (s: string): Uint8Array => new TextEncoder().encode(s);
    for (let i = 0; i < 2000; i++) {
      const digits = 1 + (i % 15);
      const s = String(Math.floor(Math.random() * 10 ** digits));
      expect(hex(h.hash({ type: Type.INT64, raw: raw(s) }))).toBe(hex(des.hash(BigInt(s))));
      expect(hex(h.hash({ type: Type.VARCHAR, raw: raw(`00${s}`) }))).toBe(hex(des.hash(BigInt(s))));
    }
    expect(hex(h.hash({ type: Type.UINT64, raw: raw("18446744073709551615") }))).toBe("355550b2150e2451");
    expect(() => h.hash({ type: Type.VARCHAR, raw: raw("1a") })).toThrow(/cannot parse uint64/);
  });
});
