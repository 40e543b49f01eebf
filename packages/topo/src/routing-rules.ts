import { create, toBinary } from "@bufbuild/protobuf";
import {
  type RoutingRules, RoutingRulesSchema, type ShardRoutingRules, ShardRoutingRulesSchema,
} from "@vt/proto/vschema";
import { ignoreNoNode } from "./keyspace.js";
import { readProtoOrNull } from "./proto-io.js";
import type { TopoServer } from "./server.js";
import { TopoPaths } from "./topo-paths.js";

/** The global RoutingRules (empty when none are stored). */
export async function getRoutingRules(ts: TopoServer): Promise<RoutingRules> {
  return (await readProtoOrNull(ts.globalConn, TopoPaths.routingRules, RoutingRulesSchema))?.value ?? create(RoutingRulesSchema);
}

/** Stores the global RoutingRules; empty rules delete the record (as Vitess does). */
export async function saveRoutingRules(ts: TopoServer, rules: RoutingRules): Promise<void> {
  const data = toBinary(RoutingRulesSchema, rules);
  if (data.length === 0) await ignoreNoNode(ts.globalConn.delete(TopoPaths.routingRules, null));
  else await ts.globalConn.update(TopoPaths.routingRules, data, null);
}

/** The global ShardRoutingRules (empty when none are stored). */
export async function getShardRoutingRules(ts: TopoServer): Promise<ShardRoutingRules> {
  const r = await readProtoOrNull(ts.globalConn, TopoPaths.shardRoutingRules, ShardRoutingRulesSchema);
  return r?.value ?? create(ShardRoutingRulesSchema);
}

/** Stores the global ShardRoutingRules; empty rules delete the record. */
export async function saveShardRoutingRules(ts: TopoServer, rules: ShardRoutingRules): Promise<void> {
  const data = toBinary(ShardRoutingRulesSchema, rules);
  if (data.length === 0) await ignoreNoNode(ts.globalConn.delete(TopoPaths.shardRoutingRules, null));
  else await ts.globalConn.update(TopoPaths.shardRoutingRules, data, null);
}
