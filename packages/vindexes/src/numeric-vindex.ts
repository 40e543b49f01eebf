// The `numeric` vindex: the value as a big-endian uint64. Unique, cost 0, reversible.
import { Type, type Value } from "@vt/sqltypes";
import { FunctionalVindex, noneOnError } from "./functional-vindex.js";
import type { Reversible, VindexDestination } from "./vschema-types.js";
import { bytesToUint64, uint64ToBytes, valueToUint64, vindexError } from "./value-convert.js";

const enc = new TextEncoder();

/** Vitess's `numeric` vindex: NULL and non-integers (e.g. 1.1) map to DestinationNone. */
export class NumericVindex extends FunctionalVindex implements Reversible {
  readonly typeName = "numeric";
  readonly cost = 0;
  hash(v: Value): Uint8Array {
    return uint64ToBytes(valueToUint64(v));
  }
  protected override mapOne(v: Value): VindexDestination {
    return noneOnError(() => this.hash(v));
  }
  reverseMap(ksids: readonly Uint8Array[]): Value[] {
    return ksids.map((k) => {
      if (k.length !== 8) throw vindexError(`Numeric.ReverseMap: length of keyspaceId is not 8: ${k.length}`);
      return { type: Type.UINT64, raw: enc.encode(bytesToUint64(k).toString()) };
    });
  }
}
