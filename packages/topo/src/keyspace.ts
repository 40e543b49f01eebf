import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { TopoError, isTopoError } from "@vt/errors";
import { type Keyspace, KeyspaceSchema } from "@vt/proto/topodata";
import { createProto, listNames, readProto, type Versioned, writeProto } from "./proto-io.js";
import type { TopoServer } from "./server.js";
import type { TopoConn, Version } from "./topo-conn.js";
import { TopoPaths } from "./topo-paths.js";

/** A keyspace record with its name and version. */
export interface KeyspaceInfo extends Versioned<Keyspace> {
  readonly name: string;
}

/** Creates `keyspaces/<ks>/Keyspace`. Throws TopoError NodeExists. */
export async function createKeyspace(ts: TopoServer, name: string, ks: MessageInitShape<typeof KeyspaceSchema> = {}): Promise<void> {
  await createProto(ts.globalConn, TopoPaths.keyspace(name), KeyspaceSchema, create(KeyspaceSchema, ks));
}

/** Reads a keyspace record. Throws TopoError NoNode. */
export async function getKeyspace(ts: TopoServer, name: string): Promise<KeyspaceInfo> {
  return { name, ...(await readProto(ts.globalConn, TopoPaths.keyspace(name), KeyspaceSchema)) };
}

/** Writes a keyspace record at `version` (BadVersion on mismatch; null = unconditional). Returns the new version. */
export function updateKeyspace(ts: TopoServer, name: string, ks: Keyspace, version: Version | null): Promise<Version> {
  return writeProto(ts.globalConn, TopoPaths.keyspace(name), KeyspaceSchema, ks, version);
}

/** Names of all keyspaces, sorted. */
export function getKeyspaceNames(ts: TopoServer): Promise<string[]> {
  return listNames(ts.globalConn, TopoPaths.keyspacesDir, true);
}

/**
 * Deletes a keyspace. Without `recursive` it throws TopoError NodeNotEmpty while shards exist, else removes the
 * VSchema, each cell's SrvKeyspace and the Keyspace record. With `recursive`, removes
 * every global record under the keyspace and, in every cell, its SrvKeyspace and ShardReplication records.
 * Throws NoNode when the keyspace does not exist.
 */
export async function deleteKeyspace(ts: TopoServer, name: string, recursive = false): Promise<void> {
  await ts.globalConn.get(TopoPaths.keyspace(name));
  const shards = await listNames(ts.globalConn, TopoPaths.shardsDir(name), true);
  if (shards.length > 0 && !recursive) {
    throw new TopoError("NodeNotEmpty", TopoPaths.keyspace(name), `keyspace ${name} still has shards: ${shards.join(", ")}`);
  }
  if (recursive) {
    for (const cell of await ts.getCellInfoNames()) {
      const conn = await ts.connForCell(cell);
      await deleteTree(conn, TopoPaths.keyspaceDir(name));
    }
    await deleteTree(ts.globalConn, TopoPaths.keyspaceDir(name));
  } else {
    for (const cell of await ts.getCellInfoNames()) {
      await ignoreNoNode((await ts.connForCell(cell)).delete(TopoPaths.srvKeyspace(name), null));
    }
    await ignoreNoNode(ts.globalConn.delete(TopoPaths.vschema(name), null));
    await ts.globalConn.delete(TopoPaths.keyspace(name), null);
  }
}

/** Deletes every node under `dir` (ignores a missing dir). */
export async function deleteTree(conn: TopoConn, dir: string): Promise<void> {
  let entries;
  try {
    entries = await conn.listDir(dir);
  } catch (e) {
    if (isTopoError(e, "NoNode")) return;
    throw e;
  }
  for (const e of entries) {
    const p = `${dir}/${e.name}`;
    if (e.isDir) await deleteTree(conn, p);
    else await ignoreNoNode(conn.delete(p, null));
  }
}

/** Awaits `p`, swallowing TopoError NoNode. */
export async function ignoreNoNode(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!isTopoError(e, "NoNode")) throw e;
  }
}
