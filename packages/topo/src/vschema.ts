import { type Keyspace as VSchemaKeyspace, KeyspaceSchema as VSchemaKeyspaceSchema } from "@vt/proto/vschema";
import { readProto, writeProto } from "./proto-io.js";
import type { TopoServer } from "./server.js";
import { TopoPaths } from "./topo-paths.js";

/** Stores a keyspace's VSchema (`keyspaces/<ks>/VSchema`, vschema.Keyspace binary). Upserts. */
export async function saveVSchema(ts: TopoServer, keyspace: string, vschema: VSchemaKeyspace): Promise<void> {
  await writeProto(ts.globalConn, TopoPaths.vschema(keyspace), VSchemaKeyspaceSchema, vschema, null);
}

/** Reads a keyspace's VSchema. Throws TopoError NoNode when none was saved. */
export async function getVSchema(ts: TopoServer, keyspace: string): Promise<VSchemaKeyspace> {
  return (await readProto(ts.globalConn, TopoPaths.vschema(keyspace), VSchemaKeyspaceSchema)).value;
}

/** Deletes a keyspace's VSchema. Throws TopoError NoNode. */
export async function deleteVSchema(ts: TopoServer, keyspace: string): Promise<void> {
  await ts.globalConn.delete(TopoPaths.vschema(keyspace), null);
}
