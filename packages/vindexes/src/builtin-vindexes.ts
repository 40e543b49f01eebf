// The built-in vindex types, keyed by their vschema JSON `type` string.
import { BinaryMd5Vindex } from "./binary-md5-vindex.js";
import { BinaryVindex } from "./binary-vindex.js";
import { CfcVindex } from "./cfc-vindex.js";
import { newConsistentLookup, newConsistentLookupUnique } from "./consistent-lookup-vindex.js";
import { HashVindex } from "./hash.js";
import { LookupUnicodeLooseMd5HashVindex } from "./lookup-unicode-loose-md5-hash-vindex.js";
import { lookupFactory } from "./lookup-vindex.js";
import { MulticolVindex } from "./multicol-vindex.js";
import { NullVindex } from "./null-vindex.js";
import { NumericStaticMapVindex } from "./numeric-static-map-vindex.js";
import { NumericVindex } from "./numeric-vindex.js";
import { RegionExperimentalVindex } from "./region-experimental-vindex.js";
import { RegionJsonVindex } from "./region-json-vindex.js";
import { ReverseBitsVindex } from "./reverse-bits-vindex.js";
import { loadUcaPrimaryTable } from "./uca-weights.js";
import { UnicodeLooseMd5Vindex, UnicodeLooseXxhashVindex } from "./unicode-loose-vindex.js";
import { type VindexFactory, VindexRegistry } from "./vindex-registry.js";
import { XxhashVindex } from "./xxhash-vindex.js";

/** Every built-in vindex type (Vitess's registry, minus test-only types). */
export const builtinVindexes: ReadonlyMap<string, VindexFactory> = new Map<string, VindexFactory>([
  ["hash", (n, p) => new HashVindex(n, p)],
  ["xxhash", (n, p) => new XxhashVindex(n, p)],
  ["unicode_loose_md5", (n, p, c) => new UnicodeLooseMd5Vindex(n, p, c.registry.memo("uca-cldr23", loadUcaPrimaryTable))],
  ["unicode_loose_xxhash", (n, p, c) => new UnicodeLooseXxhashVindex(n, p, c.registry.memo("uca-cldr23", loadUcaPrimaryTable))],
  ["binary", (n, p) => new BinaryVindex(n, p)],
  ["binary_md5", (n, p) => new BinaryMd5Vindex(n, p)],
  ["numeric", (n, p) => new NumericVindex(n, p)],
  ["numeric_static_map", (n, p, c) => new NumericStaticMapVindex(n, p, c)],
  ["reverse_bits", (n, p) => new ReverseBitsVindex(n, p)],
  ["null", (n, p) => new NullVindex(n, p)],
  ["multicol", (n, p, c) => new MulticolVindex(n, p, c)],
  ["cfc", (n, p) => new CfcVindex(n, p)],
  ["region_experimental", (n, p) => new RegionExperimentalVindex(n, p)],
  ["region_json", (n, p) => new RegionJsonVindex(n, p)],
  ["lookup", lookupFactory({ typeName: "lookup", unique: false, hashed: false })],
  ["lookup_unique", lookupFactory({ typeName: "lookup_unique", unique: true, hashed: false })],
  ["lookup_hash", lookupFactory({ typeName: "lookup_hash", unique: false, hashed: true })],
  ["lookup_hash_unique", lookupFactory({ typeName: "lookup_hash_unique", unique: true, hashed: true })],
  ["lookup_unicodeloosemd5_hash", (n, p, c) => new LookupUnicodeLooseMd5HashVindex(n, p, false, c.registry.memo("uca-cldr23", loadUcaPrimaryTable), c.owner)],
  ["lookup_unicodeloosemd5_hash_unique", (n, p, c) => new LookupUnicodeLooseMd5HashVindex(n, p, true, c.registry.memo("uca-cldr23", loadUcaPrimaryTable), c.owner)],
  ["consistent_lookup", newConsistentLookup],
  ["consistent_lookup_unique", newConsistentLookupUnique],
]);

/** A new registry holding the built-in vindex types. */
export function defaultVindexRegistry(): VindexRegistry {
  return new VindexRegistry(builtinVindexes);
}
