import { fromJsonString, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { SchemaDefinitionSchema } from "@vt/proto/tabletmanagerdata";
import { ValidateKeyspaceResponseSchema, ValidateResponseSchema } from "@vt/proto/vtctldata";
import { KeyspaceSchema, RoutingRulesSchema, ShardRoutingRulesSchema, SrvVSchemaSchema } from "@vt/proto/vschema";
import { Vtctld } from "@vt/proto/vtctlservice";
import { bool, num, str, strs, type ParsedArgs } from "../args.js";
import type { Command, CommandContext } from "../command.js";
import { parseAlias, pretty, protoJson } from "../output.js";

/** Reads a JSON document from `--<name>` or `--<name>-file` and parses it as `schema` (proto3 JSON). */
function jsonArg<D extends DescMessage>(ctx: CommandContext, a: ParsedArgs, name: string, schema: D): MessageShape<D> | undefined {
  const inline = str(a, name);
  const file = str(a, `${name}-file`);
  if (inline !== undefined && file !== undefined) throw new Error(`cannot pass both --${name} and --${name}-file`);
  const text = inline ?? (file !== undefined ? ctx.readFile(file) : undefined);
  if (text === undefined) return undefined;
  try {
    return fromJsonString(schema, text);
  } catch (e) {
    throw new Error(`invalid ${name} JSON: ${(e as Error).message}`);
  }
}

function sqlArgs(ctx: CommandContext, a: ParsedArgs): string[] {
  const sql = strs(a, "sql");
  const file = str(a, "sql-file");
  if (sql.length > 0 && file !== undefined) throw new Error("cannot pass both --sql and --sql-file");
  if (file !== undefined) return [ctx.readFile(file)];
  return sql;
}

const rulesFlags = {
  "dry-run": { type: "boolean" }, "skip-rebuild": { type: "boolean" }, cells: { type: "string", multi: true, commaList: true },
} as const;

/** Schema, VSchema, routing-rule and validation commands. */
export const schemaCommands: Command[] = [
  {
    name: "ApplySchema", usage: "[--ddl-strategy direct] [--batch-size <n>] {--sql <sql> | --sql-file <file>} <keyspace>",
    help: "Applies DDL to every shard's primary of a keyspace; reports shards that failed.",
    flags: {
      sql: { type: "string", multi: true }, "sql-file": { type: "string" }, "ddl-strategy": { type: "string" },
      "batch-size": { type: "number" }, "caller-id": { type: "string" }, "migration-context": { type: "string" },
      "wait-replicas-timeout": { type: "string" }, uuid: { type: "string" },
    },
    minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const sql = sqlArgs(ctx, a);
      if (sql.length === 0) throw new Error("either --sql or --sql-file is required");
      const strategy = str(a, "ddl-strategy") ?? "direct";
      if (strategy !== "direct") throw new Error(`unsupported --ddl-strategy ${strategy} (only direct is supported)`);
      const caller = str(a, "caller-id");
      const r = await ctx.call(Vtctld.method.applySchema, {
        keyspace: a.positional[0]!, sql, ddlStrategy: strategy, batchSize: BigInt(num(a, "batch-size", 0)),
        migrationContext: str(a, "migration-context") ?? "",
        ...(caller !== undefined ? { callerId: { principal: caller } } : {}),
      });
      if (r.uuidList.length > 0) ctx.out(r.uuidList.join("\n"));
    },
  },
  {
    name: "GetSchema",
    usage: "[--tables <t1,t2>] [--exclude-tables <t>] [--include-views] [--table-names-only | --table-sizes-only] <alias>",
    help: "Shows the schema of a tablet's database.",
    flags: {
      tables: { type: "string", multi: true, commaList: true }, "exclude-tables": { type: "string", multi: true, commaList: true },
      "include-views": { type: "boolean" }, "table-names-only": { type: "boolean" }, "table-sizes-only": { type: "boolean" },
      "table-schema-only": { type: "boolean" },
    },
    minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.getSchema, {
        tabletAlias: parseAlias(a.positional[0]!), tables: strs(a, "tables"), excludeTables: strs(a, "exclude-tables"),
        includeViews: bool(a, "include-views"), tableNamesOnly: bool(a, "table-names-only"),
        tableSizesOnly: bool(a, "table-sizes-only"), tableSchemaOnly: bool(a, "table-schema-only"),
      });
      if (bool(a, "table-names-only")) ctx.out((r.schema?.tableDefinitions ?? []).map((t) => t.name).join("\n"));
      else ctx.out(pretty(r.schema ? protoJson(SchemaDefinitionSchema, r.schema) : null));
    },
  },
  {
    name: "ReloadSchemaKeyspace", usage: "[--concurrency <n>] [--include-primary] <keyspace>",
    help: "Makes every tablet of a keyspace reload its schema.",
    flags: { concurrency: { type: "number" }, "include-primary": { type: "boolean" }, "wait-position": { type: "string" } },
    minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.reloadSchemaKeyspace, {
        keyspace: a.positional[0]!, concurrency: num(a, "concurrency", 1), includePrimary: bool(a, "include-primary"),
        waitPosition: str(a, "wait-position") ?? "",
      });
      for (const e of r.events) ctx.out(e.value);
    },
  },
  {
    name: "GetVSchema", usage: "<keyspace>", help: "Prints a keyspace's VSchema as JSON.", flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.getVSchema, { keyspace: a.positional[0]! });
      ctx.out(pretty(r.vSchema ? protoJson(KeyspaceSchema, r.vSchema) : null));
    },
  },
  {
    name: "ApplyVSchema",
    usage: "{--vschema <json> | --vschema-file <file> | --sql <sql> | --sql-file <file>} [--dry-run] [--skip-rebuild] [--cells <c>] [--strict] <keyspace>",
    help: "Validates and stores a keyspace's VSchema, then rebuilds SrvVSchema.",
    flags: {
      vschema: { type: "string" }, "vschema-file": { type: "string" }, sql: { type: "string" }, "sql-file": { type: "string" },
      "dry-run": { type: "boolean" }, "skip-rebuild": { type: "boolean" }, cells: { type: "string", multi: true, commaList: true },
      strict: { type: "boolean" },
    },
    minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const vs = jsonArg(ctx, a, "vschema", KeyspaceSchema);
      const sqlFile = str(a, "sql-file");
      const sql = str(a, "sql") ?? (sqlFile !== undefined ? ctx.readFile(sqlFile) : undefined);
      if ((vs === undefined) === (sql === undefined)) {
        throw new Error("exactly one of --vschema, --vschema-file, --sql or --sql-file is required");
      }
      const r = await ctx.call(Vtctld.method.applyVSchema, {
        keyspace: a.positional[0]!, dryRun: bool(a, "dry-run"), skipRebuild: bool(a, "skip-rebuild"),
        cells: strs(a, "cells"), strict: bool(a, "strict"), sql: sql ?? "", ...(vs !== undefined ? { vSchema: vs } : {}),
      });
      if (bool(a, "dry-run")) ctx.out("Dry run: Skipping update of VSchema");
      ctx.out(`New VSchema object:\n${pretty(r.vSchema ? protoJson(KeyspaceSchema, r.vSchema) : null)}`);
      for (const [vindex, p] of Object.entries(r.unknownVindexParams)) {
        ctx.out(`Unknown parameters for vindex ${vindex}: ${p.params.join(", ")}`);
      }
    },
  },
  {
    name: "RebuildVSchemaGraph", usage: "[--cells <c1,c2>]", help: "Rebuilds SrvVSchema in the given (default all) cells.",
    flags: { cells: { type: "string", multi: true, commaList: true } }, minArgs: 0, maxArgs: 0,
    async run(ctx, a) {
      await ctx.call(Vtctld.method.rebuildVSchemaGraph, { cells: strs(a, "cells") });
      ctx.out("RebuildVSchemaGraph: ok");
    },
  },
  {
    name: "GetSrvVSchema", usage: "<cell>", help: "Prints a cell's SrvVSchema.", flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.getSrvVSchema, { cell: a.positional[0]! });
      ctx.out(pretty(r.srvVSchema ? protoJson(SrvVSchemaSchema, r.srvVSchema) : null));
    },
  },
  {
    name: "GetRoutingRules", usage: "", help: "Prints the routing rules.", flags: {}, minArgs: 0, maxArgs: 0,
    async run(ctx) {
      const r = await ctx.call(Vtctld.method.getRoutingRules, {});
      ctx.out(pretty(r.routingRules ? protoJson(RoutingRulesSchema, r.routingRules) : { rules: [] }));
    },
  },
  {
    name: "ApplyRoutingRules", usage: "{--rules <json> | --rules-file <file>} [--dry-run] [--skip-rebuild] [--cells <c>]",
    help: "Replaces the routing rules.", flags: { rules: { type: "string" }, "rules-file": { type: "string" }, ...rulesFlags },
    minArgs: 0, maxArgs: 0,
    async run(ctx, a) {
      const rules = jsonArg(ctx, a, "rules", RoutingRulesSchema);
      if (rules === undefined) throw new Error("one of --rules or --rules-file is required");
      if (bool(a, "dry-run")) {
        ctx.out(`[DRY RUN] Would have saved new RoutingRules object:\n${pretty(protoJson(RoutingRulesSchema, rules))}`);
        return;
      }
      await ctx.call(Vtctld.method.applyRoutingRules, { routingRules: rules, skipRebuild: bool(a, "skip-rebuild"), rebuildCells: strs(a, "cells") });
      ctx.out(`New RoutingRules object:\n${pretty(protoJson(RoutingRulesSchema, rules))}`);
    },
  },
  {
    name: "GetShardRoutingRules", usage: "", help: "Prints the shard routing rules.", flags: {}, minArgs: 0, maxArgs: 0,
    async run(ctx) {
      const r = await ctx.call(Vtctld.method.getShardRoutingRules, {});
      ctx.out(pretty(r.shardRoutingRules ? protoJson(ShardRoutingRulesSchema, r.shardRoutingRules) : { rules: [] }));
    },
  },
  {
    name: "ApplyShardRoutingRules", usage: "{--rules <json> | --rules-file <file>} [--dry-run] [--skip-rebuild] [--cells <c>]",
    help: "Replaces the shard routing rules.", flags: { rules: { type: "string" }, "rules-file": { type: "string" }, ...rulesFlags },
    minArgs: 0, maxArgs: 0,
    async run(ctx, a) {
      const rules = jsonArg(ctx, a, "rules", ShardRoutingRulesSchema);
      if (rules === undefined) throw new Error("one of --rules or --rules-file is required");
      if (bool(a, "dry-run")) {
        ctx.out(`[DRY RUN] Would have saved new ShardRoutingRules object:\n${pretty(protoJson(ShardRoutingRulesSchema, rules))}`);
        return;
      }
      await ctx.call(Vtctld.method.applyShardRoutingRules, { shardRoutingRules: rules, skipRebuild: bool(a, "skip-rebuild"), rebuildCells: strs(a, "cells") });
      ctx.out(`New ShardRoutingRules object:\n${pretty(protoJson(ShardRoutingRulesSchema, rules))}`);
    },
  },
  {
    name: "ValidateKeyspace", usage: "[--ping-tablets] <keyspace>", help: "Checks a keyspace's shards and tablets for consistency.",
    flags: { "ping-tablets": { type: "boolean" } }, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.validateKeyspace, { keyspace: a.positional[0]!, pingTablets: bool(a, "ping-tablets") });
      ctx.out(pretty(protoJson(ValidateKeyspaceResponseSchema, r)));
    },
  },
  {
    name: "Validate", usage: "[--ping-tablets]", help: "Checks every keyspace, shard and tablet for consistency.",
    flags: { "ping-tablets": { type: "boolean" } }, minArgs: 0, maxArgs: 0,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.validate, { pingTablets: bool(a, "ping-tablets") });
      ctx.out(pretty(protoJson(ValidateResponseSchema, r)));
    },
  },
];
