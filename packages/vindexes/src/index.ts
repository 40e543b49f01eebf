// @vt/vindexes: vindex interfaces, the VindexRegistry of built-in vindex types, and the VSchema builder that turns
// Vitess-format VSchema JSON / SrvVSchema into the immutable snapshot the planner and engine read.
// Phases: a registry (defaultVindexRegistry()) creates vindexes by vschema type; buildVSchema() validates each
// keyspace (validateKeyspaceVSchema) and links tables, vindexes, sequences, global tables and routing rules.
export type * from "./vschema-types.js";
export { VindexRegistry, type VindexFactory, type VindexContext, type ParamValidating, isParamValidating, unknownParams, findUnknownParams } from "./vindex-registry.js";
export { builtinVindexes, defaultVindexRegistry } from "./builtin-vindexes.js";
export { type Hashing, isSingleColumn, isMultiColumn, isReversible, isLookup, isHashing } from "./vindex-guards.js";
export { FunctionalVindex } from "./functional-vindex.js";
export { HashVindex, ZeroKeyDes } from "./hash.js";
export { XxhashVindex } from "./xxhash-vindex.js";
export { xxhash64, xxhash64LE } from "./xxhash64.js";
export { BinaryVindex } from "./binary-vindex.js";
export { BinaryMd5Vindex, md5 } from "./binary-md5-vindex.js";
export { NumericVindex } from "./numeric-vindex.js";
export { NumericStaticMapVindex } from "./numeric-static-map-vindex.js";
export { ReverseBitsVindex, reverse64 } from "./reverse-bits-vindex.js";
export { NullVindex } from "./null-vindex.js";
export { MulticolVindex } from "./multicol-vindex.js";
export { CfcVindex, likePrefix } from "./cfc-vindex.js";
export { RegionExperimentalVindex } from "./region-experimental-vindex.js";
export { RegionJsonVindex } from "./region-json-vindex.js";
export { UnicodeLooseMd5Vindex, UnicodeLooseXxhashVindex } from "./unicode-loose-vindex.js";
export { LookupVindex, type LookupKind, type LookupQuery } from "./lookup-vindex.js";
export { ConsistentLookupVindex, isDuplicateKey } from "./consistent-lookup-vindex.js";
export { LookupInternal, type LookupParams, LOOKUP_PARAMS, parseLookupParams } from "./lookup-internal.js";
export { valueToUint64, valueToBytes, uint64ToBytes } from "./value-convert.js";
export { buildVSchema } from "./build-vschema.js";
export { validateKeyspaceVSchema, buildKeyspace, splitQualified, type BuiltKeyspace, type KeyspaceBuildOptions } from "./keyspace-schema-builder.js";
export { vschemaError } from "./vschema-json.js";
export { type WantsOwnerInfo, isConsistentLookup } from "./vindex-guards.js";
export { UcaPrimaryTable, loadUcaPrimaryTable } from "./uca-weights.js";
export { LookupUnicodeLooseMd5HashVindex } from "./lookup-unicode-loose-md5-hash-vindex.js";
