import type { JsonValue } from "@bufbuild/protobuf";
import { PermissionsSchema } from "@vt/proto/tabletmanagerdata";
import { CellsAliasSchema } from "@vt/proto/topodata";
import { ValidateSchemaKeyspaceResponseSchema, ValidateVSchemaResponseSchema } from "@vt/proto/vtctldata";
import { Vtctld } from "@vt/proto/vtctlservice";
import { bool, strs } from "../args.js";
import { parseKeyspaceShard, type Command } from "../command.js";
import { parseAlias, pretty, protoJson, tabletAwk } from "../output.js";
import { parseDuration } from "../run-cli.js";

/** Cells aliases, DeleteSrvVSchema, GetPermissions, SleepTablet, RunHealthCheck, ShardReplicationPositions, ValidateVSchema, ValidateSchemaKeyspace. */
export const extraCommands: Command[] = [
  {
    name: "GetCellsAliases", usage: "", help: "Prints every cells alias.", flags: {}, minArgs: 0, maxArgs: 0,
    async run(ctx) {
      const r = await ctx.call(Vtctld.method.getCellsAliases, {});
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(r.aliases)) out[k] = protoJson(CellsAliasSchema, v);
      ctx.out(pretty(out));
    },
  },
  {
    name: "AddCellsAlias", usage: "--cells <cell1,cell2,...> <alias>", help: "Defines a group of cells addressable by one name.",
    flags: { cells: { type: "string", multi: true, commaList: true } }, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const cells = strs(a, "cells");
      if (cells.length === 0) throw new Error("--cells is required");
      await ctx.call(Vtctld.method.addCellsAlias, { name: a.positional[0]!, cells });
      ctx.out(`Created cells alias: ${a.positional[0]} (cells = ${cells.join(",")})`);
    },
  },
  {
    name: "UpdateCellsAlias", usage: "--cells <cell1,cell2,...> <alias>", help: "Replaces the cells of a cells alias.",
    flags: { cells: { type: "string", multi: true, commaList: true } }, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.updateCellsAlias, { name: a.positional[0]!, cellsAlias: { cells: strs(a, "cells") } });
      ctx.out(`Updated cells alias ${r.name}. New CellsAlias:\n${pretty(r.cellsAlias ? protoJson(CellsAliasSchema, r.cellsAlias) : null)}`);
    },
  },
  {
    name: "DeleteCellsAlias", usage: "<alias>", help: "Deletes a cells alias.", flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      await ctx.call(Vtctld.method.deleteCellsAlias, { name: a.positional[0]! });
      ctx.out(`Deleted cells alias ${a.positional[0]}`);
    },
  },
  {
    name: "DeleteSrvVSchema", usage: "<cell>", help: "Deletes a cell's SrvVSchema.", flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      await ctx.call(Vtctld.method.deleteSrvVSchema, { cell: a.positional[0]! });
    },
  },
  {
    name: "GetPermissions", usage: "<alias>", help: "Prints a tablet's MariaDB users and grants.", flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.getPermissions, { tabletAlias: parseAlias(a.positional[0]!) });
      ctx.out(pretty(r.permissions ? protoJson(PermissionsSchema, r.permissions) : null));
    },
  },
  {
    name: "SleepTablet", usage: "<alias> <duration>", help: "Blocks the tablet's action queue for a duration (e.g. 5s).", flags: {}, minArgs: 2, maxArgs: 2,
    async run(ctx, a) {
      const ms = parseDuration(a.positional[1]!);
      await ctx.call(Vtctld.method.sleepTablet, {
        tabletAlias: parseAlias(a.positional[0]!), duration: { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 },
      });
    },
  },
  {
    name: "RunHealthCheck", usage: "<alias>", help: "Runs a health check on a tablet.", flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      await ctx.call(Vtctld.method.runHealthCheck, { tabletAlias: parseAlias(a.positional[0]!) });
    },
  },
  {
    name: "ShardReplicationPositions", usage: "<keyspace/shard>", help: "Prints each tablet's replication position in a shard.",
    flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const { keyspace, shard } = parseKeyspaceShard(a.positional[0]!);
      const r = await ctx.call(Vtctld.method.shardReplicationPositions, { keyspace, shard });
      // One line per tablet, as Vitess: the tablet's awk fields, then its position and replication lag.
      for (const alias of Object.keys(r.tabletMap).sort()) {
        const st = r.replicationStatuses[alias];
        const fields = tabletAwk(r.tabletMap[alias]!).split(" ").slice(0, 6);
        ctx.out([...fields, st ? (st.position || "<null>") : "<unreachable>", st ? String(st.replicationLagSeconds) : "-"].join(" "));
      }
    },
  },
  {
    name: "ValidateVSchema", usage: "[--shards <s1,s2>] [--exclude-tables <t1,t2>] [--include-views] <keyspace>",
    help: "Checks that every table of each shard primary's schema is in the keyspace's VSchema.",
    flags: { shards: { type: "string", multi: true, commaList: true }, "exclude-tables": { type: "string", multi: true, commaList: true }, "include-views": { type: "boolean" } },
    minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.validateVSchema, {
        keyspace: a.positional[0]!, shards: strs(a, "shards"), excludeTables: strs(a, "exclude-tables"), includeViews: bool(a, "include-views"),
      });
      ctx.out(pretty(protoJson(ValidateVSchemaResponseSchema, r)));
    },
  },
  {
    name: "ValidateSchemaKeyspace", usage: "[--exclude-tables <t1,t2>] [--include-views] [--shards <s1,s2>] <keyspace>",
    help: "Compares every tablet's schema with the first shard primary's.",
    flags: {
      "exclude-tables": { type: "string", multi: true, commaList: true }, "include-views": { type: "boolean" },
      "skip-no-primary": { type: "boolean" }, "include-vschema": { type: "boolean" }, shards: { type: "string", multi: true, commaList: true },
    },
    minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.validateSchemaKeyspace, {
        keyspace: a.positional[0]!, excludeTables: strs(a, "exclude-tables"), includeViews: bool(a, "include-views"),
        skipNoPrimary: bool(a, "skip-no-primary"), includeVschema: bool(a, "include-vschema"), shards: strs(a, "shards"),
      });
      ctx.out(pretty(protoJson(ValidateSchemaKeyspaceResponseSchema, r)));
    },
  },
];
