// The `xxhash` vindex: XXH64 (seed 0) of the value's bytes, little-endian. Unique, cost 1.
import type { Value } from "@vt/sqltypes";
import { FunctionalVindex } from "./functional-vindex.js";
import { valueToBytes } from "./value-convert.js";
import { xxhash64LE } from "./xxhash64.js";

/** Vitess's `xxhash` vindex: hashes the text bytes (Int64 1 hashes "1"; NULL hashes ""). */
export class XxhashVindex extends FunctionalVindex {
  readonly typeName = "xxhash";
  readonly cost = 1;
  hash(v: Value): Uint8Array {
    return xxhash64LE(valueToBytes(v));
  }
}
