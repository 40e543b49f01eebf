// The `binary` vindex: the value's bytes are the keyspace id. Unique, cost 0, reversible.
import { Type, type Value } from "@vt/sqltypes";
import { FunctionalVindex } from "./functional-vindex.js";
import type { Reversible } from "./vschema-types.js";
import { valueToBytes, vindexError } from "./value-convert.js";

/** Vitess's `binary` (identity) vindex. */
export class BinaryVindex extends FunctionalVindex implements Reversible {
  readonly typeName = "binary";
  readonly cost = 0;
  hash(v: Value): Uint8Array {
    return valueToBytes(v);
  }
  /** The ksid back as a VARBINARY value. */
  reverseMap(ksids: readonly Uint8Array[]): Value[] {
    return ksids.map((k) => {
      if (!k) throw vindexError("Binary.ReverseMap: keyspaceId is nil");
      return { type: Type.VARBINARY, raw: k };
    });
  }
}
