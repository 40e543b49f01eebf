import { clone, create } from "@bufbuild/protobuf";
import { isTopoError } from "@vt/errors";
import { KeyspaceSchema as VSchemaKeyspaceSchema, RoutingRulesSchema, ShardRoutingRulesSchema } from "@vt/proto/vschema";
import {
  getKeyspace, getRoutingRules, getShardRoutingRules, getSrvVSchema, getVSchema, lockKeyspace, rebuildVSchemaGraph,
  saveRoutingRules, saveShardRoutingRules, saveVSchema,
} from "@vt/topo";
import { alterVSchema } from "../alter-vschema.js";
import { vtErr, type VtctldDeps, type VtctldImpl } from "../deps.js";
import { validateVSchema } from "../validate-vschema.js";

async function currentVSchema(deps: VtctldDeps, keyspace: string) {
  try {
    return await getVSchema(deps.ts, keyspace);
  } catch (e) {
    if (isTopoError(e, "NoNode")) return create(VSchemaKeyspaceSchema, {});
    throw e;
  }
}

/** GetVSchema, ApplyVSchema, RebuildVSchemaGraph, GetSrvVSchema, routing rules. */
export function vschemaHandlers(deps: VtctldDeps): VtctldImpl {
  const { ts } = deps;
  const rebuild = async (skip: boolean, cells: string[]) => {
    if (!skip) await rebuildVSchemaGraph(ts, cells.length > 0 ? cells : undefined);
  };
  return {
    async getVSchema(req) {
      return { vSchema: await getVSchema(ts, req.keyspace) };
    },
    async applyVSchema(req) {
      if (req.keyspace === "") throw vtErr("INVALID_ARGUMENT", "keyspace is required");
      if ((req.vSchema === undefined) === (req.sql === "")) {
        throw vtErr("INVALID_ARGUMENT", "exactly one of v_schema or sql is required");
      }
      await getKeyspace(ts, req.keyspace);
      return lockKeyspace(ts, req.keyspace, "ApplyVSchema", async () => {
        const vs = req.vSchema !== undefined ? clone(VSchemaKeyspaceSchema, req.vSchema)
          : alterVSchema(await currentVSchema(deps, req.keyspace), req.sql, req.keyspace);
        const check = validateVSchema(req.keyspace, vs, deps.registry);
        if (req.strict && Object.keys(check.unknownVindexParams).length > 0) {
          throw vtErr("INVALID_ARGUMENT", `unknown vindex params: ${JSON.stringify(check.unknownVindexParams)}`);
        }
        if (!req.dryRun) {
          await saveVSchema(ts, req.keyspace, vs);
          await rebuild(req.skipRebuild, req.cells);
        }
        return { vSchema: vs, unknownVindexParams: check.unknownVindexParams };
      });
    },
    async rebuildVSchemaGraph(req) {
      await rebuildVSchemaGraph(ts, req.cells.length > 0 ? req.cells : undefined);
      return {};
    },
    async getSrvVSchema(req) {
      return { srvVSchema: await getSrvVSchema(ts, req.cell) };
    },
    async getRoutingRules() {
      return { routingRules: await getRoutingRules(ts) };
    },
    async applyRoutingRules(req) {
      await saveRoutingRules(ts, req.routingRules ?? create(RoutingRulesSchema, {}));
      await rebuild(req.skipRebuild, req.rebuildCells);
      return {};
    },
    async getShardRoutingRules() {
      return { shardRoutingRules: await getShardRoutingRules(ts) };
    },
    async applyShardRoutingRules(req) {
      await saveShardRoutingRules(ts, req.shardRoutingRules ?? create(ShardRoutingRulesSchema, {}));
      await rebuild(req.skipRebuild, req.rebuildCells);
      return {};
    },
  };
}
