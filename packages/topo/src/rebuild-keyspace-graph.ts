import { create } from "@bufbuild/protobuf";
import { compareKsids } from "@vt/key";
import {
  ShardReferenceSchema, SrvKeyspace_KeyspacePartitionSchema, SrvKeyspaceSchema, TabletType, type SrvKeyspace,
} from "@vt/proto/topodata";
import { getKeyspace } from "./keyspace.js";
import { lockKeyspace } from "./locks.js";
import type { TopoServer } from "./server.js";
import { findAllShardsInKeyspace, type ShardInfo } from "./shard.js";
import { updateSrvKeyspace } from "./srv-keyspace.js";

/** The tablet types a SrvKeyspace has partitions for, in Vitess's order. */
export const SERVED_TYPES: readonly TabletType[] = [TabletType.PRIMARY, TabletType.REPLICA, TabletType.RDONLY];

/**
 * Builds a keyspace's SrvKeyspace from its shards: one partition per served type, each listing (name, key range)
 * of the primary-serving shards, sorted by key range start. Throws TopoError NoNode for an unknown keyspace.
 */
export async function buildSrvKeyspace(ts: TopoServer, keyspace: string): Promise<SrvKeyspace> {
  const ks = await getKeyspace(ts, keyspace);
  const serving = (await findAllShardsInKeyspace(ts, keyspace)).filter((s) => s.value.isPrimaryServing).sort(byKeyRangeStart);
  const partitions = SERVED_TYPES.map((servedType) => create(SrvKeyspace_KeyspacePartitionSchema, {
    servedType,
    shardReferences: serving.map((s) => create(ShardReferenceSchema, {
      name: s.shardName, ...(s.value.keyRange ? { keyRange: s.value.keyRange } : {}),
    })),
  }));
  return create(SrvKeyspaceSchema, { partitions, ...(ks.value.throttlerConfig ? { throttlerConfig: ks.value.throttlerConfig } : {}) });
}

/** Writes the SrvKeyspace into each cell (default: every cell). Requires: the caller holds the keyspace lock. */
export async function rebuildKeyspaceGraphLocked(ts: TopoServer, keyspace: string, cells?: readonly string[]): Promise<SrvKeyspace> {
  const srv = await buildSrvKeyspace(ts, keyspace);
  for (const cell of cells && cells.length > 0 ? cells : await ts.getCellInfoNames()) await updateSrvKeyspace(ts, cell, keyspace, srv);
  return srv;
}

/** Rebuilds a keyspace's serving graph in `cells` (default all) under the keyspace lock (vtctld RebuildKeyspaceGraph). */
export function rebuildKeyspaceGraph(ts: TopoServer, keyspace: string, cells?: readonly string[]): Promise<SrvKeyspace> {
  return lockKeyspace(ts, keyspace, "RebuildKeyspaceGraph", () => rebuildKeyspaceGraphLocked(ts, keyspace, cells));
}

function byKeyRangeStart(a: ShardInfo, b: ShardInfo): number {
  return compareKsids(a.value.keyRange?.start ?? new Uint8Array(0), b.value.keyRange?.start ?? new Uint8Array(0));
}
