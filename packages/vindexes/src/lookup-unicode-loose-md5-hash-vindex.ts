// The legacy `lookup_unicodeloosemd5_hash(_unique)` vindexes: a lookup_hash whose `from` column stores the first
// 8 bytes (big-endian uint64) of the unicode_loose_md5 hash of the value, so lookups are case/accent-insensitive.
import { Type, type Value } from "@vt/sqltypes";
import { md5 } from "./binary-md5-vindex.js";
import { LookupVindex } from "./lookup-vindex.js";
import type { UcaPrimaryTable } from "./uca-weights.js";
import { bytesToUint64, valueToBytes } from "./value-convert.js";

const enc = new TextEncoder();

/** Vitess's LookupUnicodeLooseMD5Hash (cost 20) / LookupUnicodeLooseMD5HashUnique (cost 10). */
export class LookupUnicodeLooseMd5HashVindex extends LookupVindex {
  constructor(name: string, params: Readonly<Record<string, string>>, unique: boolean, private readonly uca: UcaPrimaryTable, owner?: string) {
    super(name, params, { typeName: unique ? "lookup_unicodeloosemd5_hash_unique" : "lookup_unicodeloosemd5_hash", unique, hashed: true }, owner);
  }

  /** The UINT64 stored for a `from` value. Throws on invalid UTF-8. */
  protected override fromKey(v: Value): Value {
    const h = md5(this.uca.weights(valueToBytes(v)));
    return { type: Type.UINT64, raw: enc.encode(bytesToUint64(h.subarray(0, 8)).toString()) };
  }
}
