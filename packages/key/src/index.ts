// @vt/key: keyspace ids, key ranges and shard names exactly as Vitess spells them, and the Destination variants a
// routed query targets. Phases: a vindex (or a target string) yields a Destination; resolveDestination turns it into
// shard names against the keyspace's current shard list (name + key range).
export { normalizeKsid, compareBytes, compareKsids, ksidEqual, ksidToHex, ksidFromHex } from "./ksid.js";
export {
  type KeyRange, fullKeyRange, keyRangeIsComplete, parseKeyRangeParts, parseShardName, isValidShardName,
  parseShardingSpec, keyRangeString, keyRangeContains, keyRangesIntersect, keyRangeEqual, keyRangeContainsKeyRange,
  evenShards,
} from "./key-range.js";
export {
  type Destination, type DestinationKind, type ShardRef, type ResolveOptions, describeDestination, resolveDestination,
  shardForKsid, DestinationKeyspaceID, DestinationKeyspaceIDs, DestinationKeyRange, DestinationExactKeyRange,
  DestinationShard, DestinationShards, DestinationAllShards, DestinationAnyShard, DestinationNone,
} from "./destination.js";
