// The `binary_md5` vindex: MD5 of the value's bytes (16-byte keyspace id). Unique, cost 1.
import { createHash } from "node:crypto";
import type { Value } from "@vt/sqltypes";
import { FunctionalVindex } from "./functional-vindex.js";
import { valueToBytes } from "./value-convert.js";

/** MD5 digest of bytes. */
export function md5(b: Uint8Array): Uint8Array {
  return Uint8Array.from(createHash("md5").update(b).digest());
}

/** Vitess's `binary_md5` vindex (NULL hashes the empty string). */
export class BinaryMd5Vindex extends FunctionalVindex {
  readonly typeName = "binary_md5";
  readonly cost = 1;
  hash(v: Value): Uint8Array {
    return md5(valueToBytes(v));
  }
}
