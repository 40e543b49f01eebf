import { TabletSchema, type Tablet } from "@vt/proto/topodata";
import { Vtctld } from "@vt/proto/vtctlservice";
import { bool, num, str, strs } from "../args.js";
import type { Command } from "../command.js";
import { parseAlias, parseTabletType, pretty, protoJson, tabletAwk } from "../output.js";
import { formatQueryResult, queryResultJson } from "../query-result-text.js";

function printTablets(tablets: Tablet[], format: string, out: (s: string) => void): void {
  if (format === "json") out(pretty(tablets.map((t) => protoJson(TabletSchema, t))));
  else if (tablets.length > 0) out(tablets.map(tabletAwk).join("\n"));
}

/** Tablet commands. */
export const tabletCommands: Command[] = [
  {
    name: "GetTablet", usage: "<alias>", help: "Gets a tablet's record from topo.", flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.getTablet, { tabletAlias: parseAlias(a.positional[0]!) });
      ctx.out(pretty(r.tablet ? protoJson(TabletSchema, r.tablet) : null));
    },
  },
  {
    name: "GetTablets",
    usage: "[--strict] [{--cell $c1 [--cell $c2 ...], --keyspace $ks [--shard $shard], --tablet-alias $alias}] [--tablet-type $type] [--format awk|json]",
    help: "Lists tablets, one per line: alias keyspace shard type address mysql_address tags primary_term_start.",
    flags: {
      keyspace: { type: "string" }, shard: { type: "string" }, cell: { type: "string", multi: true, commaList: true },
      "tablet-alias": { type: "string", multi: true, commaList: true }, "tablet-type": { type: "string" }, strict: { type: "boolean" },
      format: { type: "string" },
    },
    minArgs: 0, maxArgs: 0,
    async run(ctx, a) {
      const tt = str(a, "tablet-type");
      const shard = str(a, "shard") ?? "";
      if (shard !== "" && str(a, "keyspace") === undefined) throw new Error("--shard requires --keyspace");
      const r = await ctx.call(Vtctld.method.getTablets, {
        keyspace: str(a, "keyspace") ?? "", shard, cells: strs(a, "cell"), strict: bool(a, "strict"),
        tabletAliases: strs(a, "tablet-alias").map(parseAlias),
        ...(tt !== undefined ? { tabletType: parseTabletType(tt) } : {}),
      });
      const format = str(a, "format") ?? "awk";
      if (format !== "awk" && format !== "json") throw new Error(`invalid output format, got ${format}`);
      printTablets(r.tablets, format, ctx.out);
    },
  },
  {
    name: "DeleteTablets", usage: "[--allow-primary] <alias> [<alias> ...]", help: "Deletes tablet records from topo.",
    flags: { "allow-primary": { type: "boolean" } }, minArgs: 1, maxArgs: Infinity,
    async run(ctx, a) {
      await ctx.call(Vtctld.method.deleteTablets, { tabletAliases: a.positional.map(parseAlias), allowPrimary: bool(a, "allow-primary") });
    },
  },
  {
    name: "ChangeTabletType", usage: "[--dry-run] <alias> <tablet-type>",
    help: "Changes a tablet's type (not to or from primary; use a reparent for that).",
    flags: { "dry-run": { type: "boolean" } }, minArgs: 2, maxArgs: 2,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.changeTabletType, {
        tabletAlias: parseAlias(a.positional[0]!), dbType: parseTabletType(a.positional[1]!), dryRun: bool(a, "dry-run"),
      });
      if (r.wasDryRun) ctx.out("--- DRY RUN ---");
      ctx.out(`- ${r.beforeTablet ? tabletAwk(r.beforeTablet) : "<null>"}\n+ ${r.afterTablet ? tabletAwk(r.afterTablet) : "<null>"}`);
    },
  },
  {
    name: "PingTablet", usage: "<alias>", help: "Checks that a tablet answers.", flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      await ctx.call(Vtctld.method.pingTablet, { tabletAlias: parseAlias(a.positional[0]!) });
    },
  },
  {
    name: "RefreshState", usage: "<alias>", help: "Makes a tablet reload its record from topo.", flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      await ctx.call(Vtctld.method.refreshState, { tabletAlias: parseAlias(a.positional[0]!) });
      ctx.out(`Refreshed state on ${a.positional[0]}`);
    },
  },
  {
    name: "SetWritable", usage: "<alias> <true/false>", help: "Sets a tablet's MariaDB read_only off (true) or on (false).",
    flags: {}, minArgs: 2, maxArgs: 2,
    async run(ctx, a) {
      const w = a.positional[1]!.toLowerCase();
      if (!["true", "false"].includes(w)) throw new Error(`invalid value for writable: ${a.positional[1]}`);
      await ctx.call(Vtctld.method.setWritable, { tabletAlias: parseAlias(a.positional[0]!), writable: w === "true" });
    },
  },
  {
    name: "ExecuteFetchAsDBA", usage: "[--max-rows <n>] [--disable-binlogs] [--reload-schema] [--json] <alias> <query>",
    help: "Runs a query on a tablet's MariaDB as the DBA user.",
    flags: { "max-rows": { type: "number" }, "disable-binlogs": { type: "boolean" }, "reload-schema": { type: "boolean" }, json: { type: "boolean" } },
    minArgs: 2, maxArgs: 2,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.executeFetchAsDBA, {
        tabletAlias: parseAlias(a.positional[0]!), query: a.positional[1]!, maxRows: BigInt(num(a, "max-rows", 10000)),
        disableBinlogs: bool(a, "disable-binlogs"), reloadSchema: bool(a, "reload-schema"),
      });
      if (r.result === undefined) return;
      ctx.out(bool(a, "json") ? pretty(queryResultJson(r.result)) : formatQueryResult(r.result));
    },
  },
  {
    name: "ExecuteFetchAsApp", usage: "[--max-rows <n>] [--use-pool] [--json] <alias> <query>",
    help: "Runs a query on a tablet's MariaDB as the app user.",
    flags: { "max-rows": { type: "number" }, "use-pool": { type: "boolean" }, json: { type: "boolean" } },
    minArgs: 2, maxArgs: 2,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.executeFetchAsApp, {
        tabletAlias: parseAlias(a.positional[0]!), query: a.positional[1]!, maxRows: BigInt(num(a, "max-rows", 10000)),
        usePool: bool(a, "use-pool"),
      });
      if (r.result === undefined) return;
      ctx.out(bool(a, "json") ? pretty(queryResultJson(r.result)) : formatQueryResult(r.result));
    },
  },
  {
    name: "GetVersion", usage: "<alias>", help: "Prints a tablet's version.", flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.getVersion, { tabletAlias: parseAlias(a.positional[0]!) });
      ctx.out(r.version);
    },
  },
];
