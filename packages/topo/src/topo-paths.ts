import { joinPath } from "./topo-path.js";

/** Vitess's record paths, relative to the global root or a cell's root (vitess-facts.md §1(g)). */
export const TopoPaths = {
  cellInfo: (cell: string) => joinPath("cells", cell, "CellInfo"),
  cellsDir: "cells",
  cellsAliasesDir: "cells_aliases",
  cellsAlias: (name: string) => joinPath("cells_aliases", name, "CellsAlias"),
  keyspacesDir: "keyspaces",
  keyspaceDir: (ks: string) => joinPath("keyspaces", ks),
  keyspace: (ks: string) => joinPath("keyspaces", ks, "Keyspace"),
  shardsDir: (ks: string) => joinPath("keyspaces", ks, "shards"),
  shardDir: (ks: string, shard: string) => joinPath("keyspaces", ks, "shards", shard),
  shard: (ks: string, shard: string) => joinPath("keyspaces", ks, "shards", shard, "Shard"),
  vschema: (ks: string) => joinPath("keyspaces", ks, "VSchema"),
  routingRules: "RoutingRules",
  shardRoutingRules: "ShardRoutingRules",
  namedLock: (name: string) => joinPath("internal", "named_locks", name),
  tabletsDir: "tablets",
  tablet: (alias: string) => joinPath("tablets", alias, "Tablet"),
  shardReplication: (ks: string, shard: string) => joinPath("keyspaces", ks, "shards", shard, "ShardReplication"),
  srvKeyspace: (ks: string) => joinPath("keyspaces", ks, "SrvKeyspace"),
  srvVSchema: "SrvVSchema",
} as const;
