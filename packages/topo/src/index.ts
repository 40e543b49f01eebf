// @vt/topo: the topology service client. Layers:
//  1. TopoConn (topo-conn.ts): paths, bytes and versions (etcd mod revisions as decimal strings) on one root, with
//     lease-based locks, resumable watches and elections. Backends: @vt/topo/etcd (etcd2) and @vt/topo/memory,
//     both checked by the suite in @vt/topo/conformance; @vt/topo/testing starts a real etcd for tests.
//  2. TopoServer (server.ts): Vitess's domain records as protobuf binary at Vitess's paths (topo-paths.ts), on a
//     global conn plus one conn per cell (from CellInfo); keyspace/shard/named locks; serving-graph builders.
export type {
  Version, NodeValue, DirEntry, LockDescriptor, LockOptions, WatchEvent, WatchRecursiveEvent, WatchHandle, Leadership,
  Election, TopoConn,
} from "./topo-conn.js";
export { joinPath, normalizeRoot } from "./topo-path.js";
export { TopoPaths } from "./topo-paths.js";
export { TopoServer, type TopoServerOptions, type CellConnFactory } from "./server.js";
export { openTopoServer, newMemoryTopoServer, type TopoFlags } from "./open-topo-server.js";
export { tabletAliasString, parseTabletAlias, tabletAliasEqual } from "./tablet-alias.js";
export { readProto, readProtoOrNull, writeProto, createProto, updateProtoFields, listNames, type Versioned } from "./proto-io.js";
export { type ProtoWatch, watchProto } from "./watch-proto.js";
export { followNode, followProto, type FollowOptions } from "./follow-node.js";
export { getCellInfo, getCellInfoNames, createCellInfo, updateCellInfoFields, deleteCellInfo } from "./cell-info.js";
export { getCellsAliases, createCellsAlias, updateCellsAliasFields, deleteCellsAlias } from "./cells-alias.js";
export { type KeyspaceInfo, createKeyspace, getKeyspace, updateKeyspace, deleteKeyspace, getKeyspaceNames } from "./keyspace.js";
export {
  type ShardInfo, createShard, getShard, updateShardFields, deleteShard, getShardNames, findAllShardsInKeyspace,
} from "./shard.js";
export {
  type TabletInfo, createTablet, createOrUpdateTablet, getTablet, updateTablet, updateTabletFields, deleteTablet, getTabletAliasesByCell,
  getTabletsByCell, getTabletsByShard, getTabletMap, newTablet,
} from "./tablet.js";
export {
  getShardReplication, updateShardReplicationFields, addShardReplicationRecord, removeShardReplicationRecord,
} from "./shard-replication.js";
export {
  getSrvKeyspace, updateSrvKeyspace, deleteSrvKeyspace, getSrvKeyspaceNames, watchSrvKeyspace, followSrvKeyspace,
} from "./srv-keyspace.js";
export { saveVSchema, getVSchema, deleteVSchema } from "./vschema.js";
export { getSrvVSchema, updateSrvVSchema, deleteSrvVSchema, watchSrvVSchema, followSrvVSchema } from "./srv-vschema.js";
export { getRoutingRules, saveRoutingRules, getShardRoutingRules, saveShardRoutingRules } from "./routing-rules.js";
export { lockKeyspace, lockShard, lockName, withLock, lockContents } from "./locks.js";
export {
  SERVED_TYPES, buildSrvKeyspace, rebuildKeyspaceGraph, rebuildKeyspaceGraphLocked,
} from "./rebuild-keyspace-graph.js";
export { buildSrvVSchema, rebuildVSchemaGraph } from "./rebuild-vschema-graph.js";
