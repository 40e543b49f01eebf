import { create } from "@bufbuild/protobuf";
import { isTopoError } from "@vt/errors";
import { type Keyspace as VSchemaKeyspace, KeyspaceSchema as VSchemaKeyspaceSchema, type SrvVSchema, SrvVSchemaSchema } from "@vt/proto/vschema";
import { getKeyspaceNames } from "./keyspace.js";
import { getRoutingRules, getShardRoutingRules } from "./routing-rules.js";
import type { TopoServer } from "./server.js";
import { updateSrvVSchema } from "./srv-vschema.js";
import { getVSchema } from "./vschema.js";

/** Builds the SrvVSchema: every keyspace's VSchema (empty when none saved) plus routing and shard routing rules. */
export async function buildSrvVSchema(ts: TopoServer): Promise<SrvVSchema> {
  const keyspaces: Record<string, VSchemaKeyspace> = {};
  for (const name of await getKeyspaceNames(ts)) {
    try {
      keyspaces[name] = await getVSchema(ts, name);
    } catch (e) {
      if (!isTopoError(e, "NoNode")) throw e;
      keyspaces[name] = create(VSchemaKeyspaceSchema);
    }
  }
  return create(SrvVSchemaSchema, {
    keyspaces, routingRules: await getRoutingRules(ts), shardRoutingRules: await getShardRoutingRules(ts),
  });
}

/** Writes the SrvVSchema into each cell (default: every cell), as vtctld's RebuildVSchemaGraph. */
export async function rebuildVSchemaGraph(ts: TopoServer, cells?: readonly string[]): Promise<SrvVSchema> {
  const srv = await buildSrvVSchema(ts);
  for (const cell of cells && cells.length > 0 ? cells : await ts.getCellInfoNames()) await updateSrvVSchema(ts, cell, srv);
  return srv;
}
