import { type SrvKeyspace, SrvKeyspaceSchema } from "@vt/proto/topodata";
import { type FollowOptions, followProto } from "./follow-node.js";
import { listNames, readProto, writeProto } from "./proto-io.js";
import type { TopoServer } from "./server.js";
import { TopoPaths } from "./topo-paths.js";
import { type ProtoWatch, watchProto } from "./watch-proto.js";

/** The serving graph of a keyspace in `cell`. Throws TopoError NoNode. */
export async function getSrvKeyspace(ts: TopoServer, cell: string, keyspace: string): Promise<SrvKeyspace> {
  return (await readProto(await ts.connForCell(cell), TopoPaths.srvKeyspace(keyspace), SrvKeyspaceSchema)).value;
}

/** Writes (upserts) a keyspace's SrvKeyspace in `cell`. */
export async function updateSrvKeyspace(ts: TopoServer, cell: string, keyspace: string, srv: SrvKeyspace): Promise<void> {
  await writeProto(await ts.connForCell(cell), TopoPaths.srvKeyspace(keyspace), SrvKeyspaceSchema, srv, null);
}

/** Deletes a keyspace's SrvKeyspace in `cell`. Throws TopoError NoNode. */
export async function deleteSrvKeyspace(ts: TopoServer, cell: string, keyspace: string): Promise<void> {
  await (await ts.connForCell(cell)).delete(TopoPaths.srvKeyspace(keyspace), null);
}

/** Keyspaces with a directory in `cell` (candidates for SrvKeyspace), sorted. */
export async function getSrvKeyspaceNames(ts: TopoServer, cell: string): Promise<string[]> {
  return listNames(await ts.connForCell(cell), TopoPaths.keyspacesDir, true);
}

/** Watches a keyspace's SrvKeyspace in `cell`. Throws TopoError NoNode if absent. */
export async function watchSrvKeyspace(ts: TopoServer, cell: string, keyspace: string): Promise<ProtoWatch<SrvKeyspace>> {
  return watchProto(await ts.connForCell(cell), TopoPaths.srvKeyspace(keyspace), SrvKeyspaceSchema);
}

/**
 * Follows a keyspace's SrvKeyspace in `cell` indefinitely: the value (null while absent) now and on each change;
 * errors and outages are retried without yielding (see followNode). For vtgate's serving-graph cache.
 */
export function followSrvKeyspace(ts: TopoServer, cell: string, keyspace: string, opts?: FollowOptions): AsyncIterable<SrvKeyspace | null> {
  return followProto(() => ts.connForCell(cell), TopoPaths.srvKeyspace(keyspace), SrvKeyspaceSchema, opts);
}
