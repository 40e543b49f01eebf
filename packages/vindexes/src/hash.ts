// The `hash` vindex: DES (all-zero key) of the value as a big-endian uint64. Unique, cost 1, reversible.
import { Type, type Value } from "@vt/sqltypes";
import { FunctionalVindex } from "./functional-vindex.js";
import type { Reversible, VindexDestination } from "./vschema-types.js";
import { bytesToUint64, toHex, valueToUint64, vindexError } from "./value-convert.js";
import { zeroKeyDesBlock, zeroKeyDesWords } from "./zero-key-des.js";

const enc = new TextEncoder();
const TWO_32 = 4294967296;

/**
 * Single-block DES with an all-zero key (zero-key-des.ts: pure JS, no per-call cipher object). The zero key is
 * weak, so decryption is the same function as encryption.
 */
export class ZeroKeyDes {
  /** Encrypts one uint64 → 8 bytes. */
  hash(n: bigint): Uint8Array {
    const u = BigInt.asUintN(64, n);
    const out = new Uint8Array(8);
    zeroKeyDesWords(Number(u >> 32n), Number(u & 0xffffffffn), out);
    return out;
  }
  /** Decrypts 8 bytes → uint64. Throws `invalid keyspace id: <hex>` when not 8 bytes. */
  unhash(ksid: Uint8Array): bigint {
    if (ksid.length !== 8) throw vindexError(`invalid keyspace id: ${toHex(ksid)}`);
    return bytesToUint64(zeroKeyDesBlock(ksid));
  }
}

/**
 * The value as a non-negative safe integer when its raw text is 1–15 ASCII digits (the common case: no bigint
 * needed), else -1 (the caller takes the general path, which also reports errors).
 */
function smallDecimal(v: Value): number {
  const raw = v.raw;
  if (raw === null || raw.length === 0 || raw.length > 15 || v.type === Type.NULL_TYPE) return -1;
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const d = raw[i]! - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Vitess's `hash` vindex. Signed types are read as int64 in two's complement (Int64 -1 ≡ Uint64 2^64-1), other
 * types as unsigned decimal text (VarChar "1" ≡ Int64 1). NULL or unparsable values map to DestinationNone;
 * verify throws `cannot parse uint64 from "aa"` for them.
 */
export class HashVindex extends FunctionalVindex implements Reversible {
  readonly typeName = "hash";
  readonly cost = 1;
  readonly #des = new ZeroKeyDes();

  hash(v: Value): Uint8Array {
    const n = smallDecimal(v);
    if (n < 0) return this.#des.hash(valueToUint64(v));
    const out = new Uint8Array(8);
    zeroKeyDesWords(Math.floor(n / TWO_32), n >>> 0, out);
    return out;
  }

  protected override mapOne(v: Value): VindexDestination {
    try {
      return { kind: "KeyspaceId", ksid: this.hash(v) };
    } catch {
      return { kind: "None" };
    }
  }

  /** The uint64 whose hash is each ksid, as UINT64 values. Throws `invalid keyspace id: …` unless 8 bytes. */
  reverseMap(ksids: readonly Uint8Array[]): Value[] {
    return ksids.map((k) => ({ type: Type.UINT64, raw: enc.encode(this.#des.unhash(k).toString()) }));
  }
}
