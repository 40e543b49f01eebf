// The `hash` vindex: DES (all-zero key) of the value as a big-endian uint64. Unique, cost 1, reversible.
import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from "node:crypto";
import { Type, type Value } from "@vt/sqltypes";
import { FunctionalVindex, noneOnError } from "./functional-vindex.js";
import type { Reversible, VindexDestination } from "./vschema-types.js";
import { bytesToUint64, toHex, uint64ToBytes, valueToUint64, vindexError } from "./value-convert.js";

const enc = new TextEncoder();

/**
 * Single-block DES with an all-zero key. Node 20's OpenSSL 3 lacks plain DES in the default provider, but
 * 3DES-EDE with K1=K2=K3 is the same function. ECB without padding: each 8-byte update is exactly one block.
 */
export class ZeroKeyDes {
  readonly #enc: Cipher;
  readonly #dec: Decipher;
  constructor() {
    this.#enc = createCipheriv("des-ede3-ecb", Buffer.alloc(24), null).setAutoPadding(false);
    this.#dec = createDecipheriv("des-ede3-ecb", Buffer.alloc(24), null).setAutoPadding(false);
  }
  /** Encrypts one uint64 → 8 bytes. */
  hash(n: bigint): Uint8Array {
    return Uint8Array.from(this.#enc.update(uint64ToBytes(n)));
  }
  /** Decrypts 8 bytes → uint64. Throws `invalid keyspace id: <hex>` when not 8 bytes. */
  unhash(ksid: Uint8Array): bigint {
    if (ksid.length !== 8) throw vindexError(`invalid keyspace id: ${toHex(ksid)}`);
    return bytesToUint64(Uint8Array.from(this.#dec.update(ksid)));
  }
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
    return this.#des.hash(valueToUint64(v));
  }

  protected override mapOne(v: Value): VindexDestination {
    return noneOnError(() => this.hash(v));
  }

  /** The uint64 whose hash is each ksid, as UINT64 values. Throws `invalid keyspace id: …` unless 8 bytes. */
  reverseMap(ksids: readonly Uint8Array[]): Value[] {
    return ksids.map((k) => ({ type: Type.UINT64, raw: enc.encode(this.#des.unhash(k).toString()) }));
  }
}
