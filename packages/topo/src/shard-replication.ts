import { create } from "@bufbuild/protobuf";
import {
  type ShardReplication, ShardReplication_NodeSchema, ShardReplicationSchema, type TabletAlias, TabletAliasSchema,
} from "@vt/proto/topodata";
import { readProtoOrNull, updateProtoFields } from "./proto-io.js";
import type { TopoServer } from "./server.js";
import { tabletAliasEqual } from "./tablet-alias.js";
import { TopoPaths } from "./topo-paths.js";

/** The ShardReplication record of a shard in one cell (empty when absent). */
export async function getShardReplication(ts: TopoServer, cell: string, keyspace: string, shard: string): Promise<ShardReplication> {
  const conn = await ts.connForCell(cell);
  const r = await readProtoOrNull(conn, TopoPaths.shardReplication(keyspace, shard), ShardReplicationSchema);
  return r?.value ?? create(ShardReplicationSchema);
}

/** CAS read-modify-write of a cell's ShardReplication record (created when absent). */
export async function updateShardReplicationFields(
  ts: TopoServer, cell: string, keyspace: string, shard: string, mutate: (sr: ShardReplication) => void | false,
): Promise<void> {
  const conn = await ts.connForCell(cell);
  await updateProtoFields(conn, TopoPaths.shardReplication(keyspace, shard), ShardReplicationSchema, (cur) => {
    const sr = cur ?? create(ShardReplicationSchema);
    return mutate(sr) === false ? false : sr;
  });
}

/** Adds a tablet alias to the shard's ShardReplication in the alias's cell (no-op if present). */
export function addShardReplicationRecord(ts: TopoServer, keyspace: string, shard: string, alias: TabletAlias): Promise<void> {
  return updateShardReplicationFields(ts, alias.cell, keyspace, shard, (sr) => {
    if (sr.nodes.some((n) => tabletAliasEqual(n.tabletAlias, alias))) return false;
    const tabletAlias = create(TabletAliasSchema, { cell: alias.cell, uid: alias.uid });
    sr.nodes.push(create(ShardReplication_NodeSchema, { tabletAlias }));
    return undefined;
  });
}

/** Removes a tablet alias from the shard's ShardReplication in `cell` (no-op if absent). */
export function removeShardReplicationRecord(ts: TopoServer, cell: string, keyspace: string, shard: string, alias: TabletAlias): Promise<void> {
  return updateShardReplicationFields(ts, cell, keyspace, shard, (sr) => {
    const before = sr.nodes.length;
    sr.nodes = sr.nodes.filter((n) => !tabletAliasEqual(n.tabletAlias, alias));
    return sr.nodes.length === before ? false : undefined;
  });
}
