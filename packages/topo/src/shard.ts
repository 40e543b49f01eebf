import { create } from "@bufbuild/protobuf";
import { TopoError } from "@vt/errors";
import { keyRangeIsComplete, keyRangesIntersect, parseShardName } from "@vt/key";
import { KeyRangeSchema, type Shard, ShardSchema } from "@vt/proto/topodata";
import { createProto, listNames, readProto, updateProtoFields, type Versioned } from "./proto-io.js";
import type { TopoServer } from "./server.js";
import { TopoPaths } from "./topo-paths.js";

/** A shard record with its keyspace, name and version. */
export interface ShardInfo extends Versioned<Shard> {
  readonly keyspace: string;
  readonly shardName: string;
}

/**
 * Creates `keyspaces/<ks>/shards/<shard>/Shard` with the key range parsed from the name (none for the full range,
 * as Vitess stores `0`/`-`). The shard is primary-serving unless another shard's range overlaps it (a reshard
 * target). Requires: the keyspace exists (NoNode otherwise); callers hold the keyspace lock. Throws NodeExists.
 */
export async function createShard(ts: TopoServer, keyspace: string, shardName: string): Promise<ShardInfo> {
  await ts.globalConn.get(TopoPaths.keyspace(keyspace));
  const kr = parseShardName(shardName);
  const keyRange = keyRangeIsComplete(kr) ? undefined : create(KeyRangeSchema, { start: kr.start, end: kr.end });
  let overlaps = false;
  for (const other of await findAllShardsInKeyspace(ts, keyspace)) {
    if (other.shardName !== shardName && other.value.isPrimaryServing && keyRangesIntersect(other.value.keyRange ?? null, keyRange ?? null)) {
      overlaps = true;
    }
  }
  const shard = create(ShardSchema, { isPrimaryServing: !overlaps, ...(keyRange ? { keyRange } : {}) });
  const version = await createProto(ts.globalConn, TopoPaths.shard(keyspace, shardName), ShardSchema, shard);
  return { keyspace, shardName, value: shard, version };
}

/** Reads a shard record. Throws TopoError NoNode. */
export async function getShard(ts: TopoServer, keyspace: string, shardName: string): Promise<ShardInfo> {
  return { keyspace, shardName, ...(await readProto(ts.globalConn, TopoPaths.shard(keyspace, shardName), ShardSchema)) };
}

/**
 * Read-modify-write of a shard under CAS, retried on concurrent change. `mutate` edits the record in place and
 * may return false to skip the write. Throws TopoError NoNode if the shard does not exist.
 */
export async function updateShardFields(
  ts: TopoServer, keyspace: string, shardName: string, mutate: (s: Shard) => void | false,
): Promise<ShardInfo> {
  const path = TopoPaths.shard(keyspace, shardName);
  const r = await updateProtoFields(ts.globalConn, path, ShardSchema, (cur) => {
    if (cur === null) throw new TopoError("NoNode", path);
    return mutate(cur) === false ? false : cur;
  });
  if (r === null) throw new TopoError("NoNode", path);
  return { keyspace, shardName, ...r };
}

/** Deletes a shard record (and its now-empty directory). Throws TopoError NoNode. */
export async function deleteShard(ts: TopoServer, keyspace: string, shardName: string): Promise<void> {
  await ts.globalConn.delete(TopoPaths.shard(keyspace, shardName), null);
}

/** Names of a keyspace's shards, sorted by name ([] when none). */
export function getShardNames(ts: TopoServer, keyspace: string): Promise<string[]> {
  return listNames(ts.globalConn, TopoPaths.shardsDir(keyspace), true);
}

/** Every shard record of a keyspace, sorted by name. Shard dirs without a Shard record are skipped. */
export async function findAllShardsInKeyspace(ts: TopoServer, keyspace: string): Promise<ShardInfo[]> {
  const out: ShardInfo[] = [];
  for (const name of await getShardNames(ts, keyspace)) {
    try {
      out.push(await getShard(ts, keyspace, name));
    } catch (e) {
      if (!(e instanceof TopoError && e.code === "NoNode")) throw e;
    }
  }
  return out;
}
