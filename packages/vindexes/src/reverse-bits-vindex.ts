// The `reverse_bits` vindex: bit-reversed uint64, big-endian. Unique, cost 1, reversible.
import { Type, type Value } from "@vt/sqltypes";
import { FunctionalVindex, noneOnError } from "./functional-vindex.js";
import type { Reversible, VindexDestination } from "./vschema-types.js";
import { bytesToUint64, toHex, uint64ToBytes, valueToUint64, vindexError } from "./value-convert.js";

const enc = new TextEncoder();

/** Reverses the 64 bits of n (Go's bits.Reverse64). */
export function reverse64(n: bigint): bigint {
  let x = BigInt.asUintN(64, n);
  let r = 0n;
  for (let i = 0; i < 64; i++) {
    r = (r << 1n) | (x & 1n);
    x >>= 1n;
  }
  return r;
}

/** Vitess's `reverse_bits` vindex: NULL and non-integers map to DestinationNone. */
export class ReverseBitsVindex extends FunctionalVindex implements Reversible {
  readonly typeName = "reverse_bits";
  readonly cost = 1;
  hash(v: Value): Uint8Array {
    return uint64ToBytes(reverse64(valueToUint64(v)));
  }
  protected override mapOne(v: Value): VindexDestination {
    return noneOnError(() => this.hash(v));
  }
  reverseMap(ksids: readonly Uint8Array[]): Value[] {
    return ksids.map((k) => {
      if (k.length !== 8) throw vindexError(`invalid keyspace id: ${toHex(k)}`);
      return { type: Type.UINT64, raw: enc.encode(reverse64(bytesToUint64(k)).toString()) };
    });
  }
}
