// Capability guards, used in place of Go type assertions on vindexes.
import type { Value } from "@vt/sqltypes";
import type { Lookup, MultiColumn, Reversible, SingleColumn, Vindex } from "./vschema-types.js";

/** Vindexes that compute a keyspace id from one value without I/O (usable as a multicol component). */
export interface Hashing extends Vindex {
  hash(v: Value): Uint8Array;
}

/** True for single-column vindexes (everything with `map`). */
export function isSingleColumn(v: Vindex): v is SingleColumn {
  return typeof (v as Partial<SingleColumn>).map === "function";
}

/** True for multi-column vindexes (multicol, region_*). */
export function isMultiColumn(v: Vindex): v is MultiColumn {
  return (v as Partial<MultiColumn>).multiColumn === true;
}

/** True for vindexes that can turn a keyspace id back into the column value. */
export function isReversible(v: Vindex): v is Reversible {
  return typeof (v as Partial<Reversible>).reverseMap === "function";
}

/** True for lookup vindexes. */
export function isLookup(v: Vindex): v is Lookup {
  return (v as Partial<Lookup>).lookup === true;
}

/** True for vindexes exposing `hash` (Vitess's Hashing). */
export function isHashing(v: Vindex): v is Hashing {
  return typeof (v as Partial<Hashing>).hash === "function";
}

/** Lookup vindexes that need their owner table's keyspace/name/columns (consistent_lookup*). */
export interface WantsOwnerInfo extends Lookup {
  setOwnerInfo(keyspace: string, table: string, columns: readonly string[]): void;
}

/** True for vindexes implementing setOwnerInfo. */
export function isConsistentLookup(v: Vindex): v is WantsOwnerInfo {
  return isLookup(v) && typeof (v as Partial<WantsOwnerInfo>).setOwnerInfo === "function";
}
