// The `null` vindex: every value (NULL included) maps to keyspace id 0x00, i.e. the first shard. Cost 100.
import type { Value } from "@vt/sqltypes";
import { FunctionalVindex } from "./functional-vindex.js";

/** Vitess's `null` vindex. */
export class NullVindex extends FunctionalVindex {
  readonly typeName = "null";
  readonly cost = 100;
  hash(_v: Value): Uint8Array {
    return new Uint8Array([0]);
  }
  override verify(values: readonly Value[]): boolean[] {
    return values.map(() => true);
  }
}
