// The `unicode_loose_md5` and `unicode_loose_xxhash` vindexes: hash of the UCA primary weights of the text.
import type { Value } from "@vt/sqltypes";
import { md5 } from "./binary-md5-vindex.js";
import { FunctionalVindex } from "./functional-vindex.js";
import type { UcaPrimaryTable } from "./uca-weights.js";
import { valueToBytes } from "./value-convert.js";
import { xxhash64LE } from "./xxhash64.js";

/** Vitess's `unicode_loose_md5`: MD5 of the primary weights (case/accent-insensitive, trailing spaces trimmed). */
export class UnicodeLooseMd5Vindex extends FunctionalVindex {
  readonly typeName = "unicode_loose_md5";
  readonly cost = 1;
  constructor(name: string, params: Readonly<Record<string, string>>, private readonly table: UcaPrimaryTable) {
    super(name, params);
  }
  hash(v: Value): Uint8Array {
    return md5(this.table.weights(valueToBytes(v)));
  }
}

/** Vitess's `unicode_loose_xxhash`: XXH64 (little-endian) of the primary weights. */
export class UnicodeLooseXxhashVindex extends FunctionalVindex {
  readonly typeName = "unicode_loose_xxhash";
  readonly cost = 1;
  constructor(name: string, params: Readonly<Record<string, string>>, private readonly table: UcaPrimaryTable) {
    super(name, params);
  }
  hash(v: Value): Uint8Array {
    return xxhash64LE(this.table.weights(valueToBytes(v)));
  }
}
