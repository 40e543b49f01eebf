import type { JsonValue } from "@bufbuild/protobuf";
import { SrvKeyspaceSchema } from "@vt/proto/topodata";
import { CreateShardResponseSchema, KeyspaceSchema, ShardSchema } from "@vt/proto/vtctldata";
import { Vtctld } from "@vt/proto/vtctlservice";
import { bool, str, strs } from "../args.js";
import { parseKeyspaceShard, type Command } from "../command.js";
import { pretty, protoJson } from "../output.js";

/** Keyspace and shard commands. */
export const keyspaceCommands: Command[] = [
  {
    name: "CreateKeyspace", usage: "[--force] [--allow-empty-vschema] [--durability-policy <policy>] <keyspace>",
    help: "Creates a keyspace (and an empty VSchema for it).",
    flags: {
      force: { type: "boolean" }, "allow-empty-vschema": { type: "boolean" }, "durability-policy": { type: "string" },
      "sidecar-db-name": { type: "string" }, type: { type: "string" }, "base-keyspace": { type: "string" },
    },
    minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const name = a.positional[0]!;
      const r = await ctx.call(Vtctld.method.createKeyspace, {
        name, force: bool(a, "force"), allowEmptyVSchema: bool(a, "allow-empty-vschema"),
        durabilityPolicy: str(a, "durability-policy") ?? "none", sidecarDbName: str(a, "sidecar-db-name") ?? "_vt",
        baseKeyspace: str(a, "base-keyspace") ?? "",
      });
      ctx.out(`Successfully created keyspace ${name}. Result:\n${pretty(r.keyspace ? protoJson(KeyspaceSchema, r.keyspace) : null)}`);
    },
  },
  {
    name: "GetKeyspace", usage: "<keyspace>", help: "Gets a keyspace's record from topo.",
    flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.getKeyspace, { keyspace: a.positional[0]! });
      ctx.out(pretty(r.keyspace ? protoJson(KeyspaceSchema, r.keyspace) : null));
    },
  },
  {
    name: "GetKeyspaces", usage: "", help: "Lists every keyspace.", flags: {}, minArgs: 0, maxArgs: 0,
    async run(ctx) {
      const r = await ctx.call(Vtctld.method.getKeyspaces, {});
      ctx.out(pretty(r.keyspaces.map((k) => protoJson(KeyspaceSchema, k))));
    },
  },
  {
    name: "DeleteKeyspace", usage: "[--recursive] [--force] <keyspace>",
    help: "Deletes a keyspace (with --recursive also its shards and tablets).",
    flags: { recursive: { type: "boolean" }, force: { type: "boolean" } }, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const keyspace = a.positional[0]!;
      await ctx.call(Vtctld.method.deleteKeyspace, { keyspace, recursive: bool(a, "recursive"), force: bool(a, "force") });
      ctx.out(`Successfully deleted keyspace ${keyspace}.`);
    },
  },
  {
    name: "CreateShard", usage: "[--force] [--include-parent] <keyspace/shard>", help: "Creates a shard.",
    flags: { force: { type: "boolean" }, "include-parent": { type: "boolean" } }, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const { keyspace, shard } = parseKeyspaceShard(a.positional[0]!);
      const r = await ctx.call(Vtctld.method.createShard, {
        keyspace, shardName: shard, force: bool(a, "force"), includeParent: bool(a, "include-parent"),
      });
      ctx.out(pretty(protoJson(CreateShardResponseSchema, r)));
    },
  },
  {
    name: "GetShard", usage: "<keyspace/shard>", help: "Gets a shard's record from topo.",
    flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const { keyspace, shard } = parseKeyspaceShard(a.positional[0]!);
      const r = await ctx.call(Vtctld.method.getShard, { keyspace, shardName: shard });
      ctx.out(pretty(r.shard ? protoJson(ShardSchema, r.shard) : null));
    },
  },
  {
    name: "FindAllShardsInKeyspace", usage: "<keyspace>", help: "Gets every shard of a keyspace, by name.",
    flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.findAllShardsInKeyspace, { keyspace: a.positional[0]! });
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(r.shards)) out[k] = protoJson(ShardSchema, v);
      ctx.out(pretty(out));
    },
  },
  {
    name: "DeleteShards", usage: "[--recursive] [--even-if-serving] [--force] <keyspace/shard> [<keyspace/shard> ...]",
    help: "Deletes shards (with --recursive also their tablets).",
    flags: { recursive: { type: "boolean" }, "even-if-serving": { type: "boolean" }, force: { type: "boolean" } },
    minArgs: 1, maxArgs: Infinity,
    async run(ctx, a) {
      const shards = a.positional.map((s) => {
        const { keyspace, shard } = parseKeyspaceShard(s);
        return { keyspace, name: shard };
      });
      await ctx.call(Vtctld.method.deleteShards, {
        shards, recursive: bool(a, "recursive"), evenIfServing: bool(a, "even-if-serving"), force: bool(a, "force"),
      });
      ctx.out(`Successfully deleted shards ${a.positional.join(", ")}`);
    },
  },
  {
    name: "RebuildKeyspaceGraph", usage: "[--cells <cells>] [--allow-partial] <keyspace> [<keyspace> ...]",
    help: "Rebuilds the serving graph (SrvKeyspace) of keyspaces in the given (default all) cells.",
    flags: { cells: { type: "string", multi: true, commaList: true }, "allow-partial": { type: "boolean" } },
    minArgs: 1, maxArgs: Infinity,
    async run(ctx, a) {
      for (const keyspace of a.positional) {
        await ctx.call(Vtctld.method.rebuildKeyspaceGraph, { keyspace, cells: strs(a, "cells"), allowPartial: bool(a, "allow-partial") });
      }
    },
  },
  {
    name: "GetSrvKeyspaces", usage: "<keyspace> [<cell> ...]", help: "Gets a keyspace's SrvKeyspace per cell.",
    flags: {}, minArgs: 1, maxArgs: Infinity,
    async run(ctx, a) {
      const [keyspace, ...cells] = a.positional;
      const r = await ctx.call(Vtctld.method.getSrvKeyspaces, { keyspace: keyspace!, cells });
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(r.srvKeyspaces)) out[k] = protoJson(SrvKeyspaceSchema, v);
      ctx.out(pretty(out));
    },
  },
];
