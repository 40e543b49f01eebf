import type { JsonValue } from "@bufbuild/protobuf";
import { CellInfoSchema, ShardSchema } from "@vt/proto/topodata";
import { ValidateShardResponseSchema } from "@vt/proto/vtctldata";
import { SrvVSchemaSchema } from "@vt/proto/vschema";
import { Vtctld } from "@vt/proto/vtctlservice";
import { bool, num, str, strs } from "../args.js";
import { parseKeyspaceShard, type Command } from "../command.js";
import { parseAlias, pretty, protoJson } from "../output.js";

const aliasCommand = (name: string, help: string, run: (call: Parameters<Command["run"]>[0]["call"], alias: ReturnType<typeof parseAlias>) => Promise<unknown>): Command => ({
  name, usage: "<alias>", help, flags: {}, minArgs: 1, maxArgs: 1,
  async run(ctx, a) {
    await run(ctx.call, parseAlias(a.positional[0]!));
  },
});

/** Less common cell, serving-graph, shard and tablet commands. */
export const moreCommands: Command[] = [
  {
    name: "UpdateCellInfo", usage: "[--root <root>] [--server-address <addr>] <cell>", help: "Updates (or creates) a cell's CellInfo.",
    flags: { root: { type: "string" }, "server-address": { type: "string" } }, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.updateCellInfo, {
        name: a.positional[0]!, cellInfo: { root: str(a, "root") ?? "", serverAddress: str(a, "server-address") ?? "" },
      });
      ctx.out(`Updated cell ${r.name}. New CellInfo:\n${pretty(r.cellInfo ? protoJson(CellInfoSchema, r.cellInfo) : null)}`);
    },
  },
  {
    name: "DeleteCellInfo", usage: "[--force] <cell>", help: "Deletes a cell's CellInfo.",
    flags: { force: { type: "boolean" } }, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      await ctx.call(Vtctld.method.deleteCellInfo, { name: a.positional[0]!, force: bool(a, "force") });
      ctx.out(`Deleted cell ${a.positional[0]}`);
    },
  },
  {
    name: "GetSrvKeyspaceNames", usage: "[<cell> ...]", help: "Lists the keyspaces with a SrvKeyspace, per cell.",
    flags: {}, minArgs: 0, maxArgs: Infinity,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.getSrvKeyspaceNames, { cells: [...a.positional] });
      const out: Record<string, string[]> = {};
      for (const [cell, l] of Object.entries(r.names)) out[cell] = l.names;
      ctx.out(pretty(out));
    },
  },
  {
    name: "GetSrvVSchemas", usage: "[<cell> ...]", help: "Prints the SrvVSchema of each cell.",
    flags: {}, minArgs: 0, maxArgs: Infinity,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.getSrvVSchemas, { cells: [...a.positional] });
      const out: Record<string, JsonValue> = {};
      for (const [cell, v] of Object.entries(r.srvVSchemas)) out[cell] = protoJson(SrvVSchemaSchema, v);
      ctx.out(pretty(out));
    },
  },
  {
    name: "ValidateShard", usage: "[--ping-tablets] <keyspace/shard>", help: "Checks one shard's tablets for consistency.",
    flags: { "ping-tablets": { type: "boolean" } }, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const { keyspace, shard } = parseKeyspaceShard(a.positional[0]!);
      const r = await ctx.call(Vtctld.method.validateShard, { keyspace, shard, pingTablets: bool(a, "ping-tablets") });
      ctx.out(pretty(protoJson(ValidateShardResponseSchema, r)));
    },
  },
  aliasCommand("ReloadSchema", "Makes a tablet reload its schema.", (call, tabletAlias) => call(Vtctld.method.reloadSchema, { tabletAlias })),
  aliasCommand("StartReplication", "Starts replication on a replica tablet.", (call, tabletAlias) => call(Vtctld.method.startReplication, { tabletAlias })),
  aliasCommand("StopReplication", "Stops replication on a replica tablet.", (call, tabletAlias) => call(Vtctld.method.stopReplication, { tabletAlias })),
  {
    name: "ReloadSchemaShard", usage: "[--concurrency <n>] [--include-primary] <keyspace/shard>",
    help: "Makes every tablet of a shard reload its schema.",
    flags: { concurrency: { type: "number" }, "include-primary": { type: "boolean" }, "wait-position": { type: "string" } },
    minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const { keyspace, shard } = parseKeyspaceShard(a.positional[0]!);
      const r = await ctx.call(Vtctld.method.reloadSchemaShard, {
        keyspace, shard, includePrimary: bool(a, "include-primary"), concurrency: num(a, "concurrency", 1),
        waitPosition: str(a, "wait-position") ?? "",
      });
      for (const e of r.events) ctx.out(e.value);
    },
  },
  {
    name: "RefreshStateByShard", usage: "[--cells <c1,c2>] <keyspace/shard>", help: "Makes every tablet of a shard reload its record.",
    flags: { cells: { type: "string", multi: true, commaList: true } }, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const { keyspace, shard } = parseKeyspaceShard(a.positional[0]!);
      const r = await ctx.call(Vtctld.method.refreshStateByShard, { keyspace, shard, cells: strs(a, "cells") });
      ctx.out(r.isPartialRefresh ? `Refreshed some tablets of ${keyspace}/${shard}; failed: ${r.partialRefreshDetails}` : `Refreshed state on ${keyspace}/${shard}`);
    },
  },
  {
    name: "SetShardIsPrimaryServing", usage: "<keyspace/shard> <true/false>", help: "Sets a shard's is_primary_serving flag.",
    flags: {}, minArgs: 2, maxArgs: 2,
    async run(ctx, a) {
      const { keyspace, shard } = parseKeyspaceShard(a.positional[0]!);
      const v = a.positional[1]!.toLowerCase();
      if (v !== "true" && v !== "false") throw new Error(`invalid value for is_serving: ${a.positional[1]}`);
      const r = await ctx.call(Vtctld.method.setShardIsPrimaryServing, { keyspace, shard, isServing: v === "true" });
      ctx.out(pretty(r.shard ? protoJson(ShardSchema, r.shard) : null));
    },
  },
];
