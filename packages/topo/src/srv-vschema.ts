import { type SrvVSchema, SrvVSchemaSchema } from "@vt/proto/vschema";
import { type FollowOptions, followProto } from "./follow-node.js";
import { readProto, writeProto } from "./proto-io.js";
import type { TopoServer } from "./server.js";
import { TopoPaths } from "./topo-paths.js";
import { type ProtoWatch, watchProto } from "./watch-proto.js";

/** The SrvVSchema of `cell`. Throws TopoError NoNode. */
export async function getSrvVSchema(ts: TopoServer, cell: string): Promise<SrvVSchema> {
  return (await readProto(await ts.connForCell(cell), TopoPaths.srvVSchema, SrvVSchemaSchema)).value;
}

/** Writes (upserts) the SrvVSchema of `cell`. */
export async function updateSrvVSchema(ts: TopoServer, cell: string, srv: SrvVSchema): Promise<void> {
  await writeProto(await ts.connForCell(cell), TopoPaths.srvVSchema, SrvVSchemaSchema, srv, null);
}

/** Deletes the SrvVSchema of `cell`. Throws TopoError NoNode. */
export async function deleteSrvVSchema(ts: TopoServer, cell: string): Promise<void> {
  await (await ts.connForCell(cell)).delete(TopoPaths.srvVSchema, null);
}

/** Watches the SrvVSchema of `cell`. Throws TopoError NoNode if absent. */
export async function watchSrvVSchema(ts: TopoServer, cell: string): Promise<ProtoWatch<SrvVSchema>> {
  return watchProto(await ts.connForCell(cell), TopoPaths.srvVSchema, SrvVSchemaSchema);
}

/** Follows the SrvVSchema of `cell` indefinitely (null while absent); see followNode. */
export function followSrvVSchema(ts: TopoServer, cell: string, opts?: FollowOptions): AsyncIterable<SrvVSchema | null> {
  return followProto(() => ts.connForCell(cell), TopoPaths.srvVSchema, SrvVSchemaSchema, opts);
}
