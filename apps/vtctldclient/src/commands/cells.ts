import { CellInfoSchema } from "@vt/proto/topodata";
import { Vtctld } from "@vt/proto/vtctlservice";
import { str } from "../args.js";
import type { Command } from "../command.js";
import { pretty, protoJson } from "../output.js";

/** AddCellInfo, GetCellInfoNames, GetCellInfo. */
export const cellCommands: Command[] = [
  {
    name: "AddCellInfo", usage: "--root <root> [--server-address <addr>] <cell>",
    help: "Registers a local topo cell in the global topo.",
    flags: { root: { type: "string" }, "server-address": { type: "string" } }, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const root = str(a, "root");
      if (root === undefined) throw new Error("--root is required");
      const name = a.positional[0]!;
      await ctx.call(Vtctld.method.addCellInfo, { name, cellInfo: { root, serverAddress: str(a, "server-address") ?? "" } });
      ctx.out(`Created cell: ${name}`);
    },
  },
  {
    name: "GetCellInfoNames", usage: "", help: "Lists the names of all cells in the cluster.",
    flags: {}, minArgs: 0, maxArgs: 0,
    async run(ctx) {
      const r = await ctx.call(Vtctld.method.getCellInfoNames, {});
      ctx.out(r.names.join("\n"));
    },
  },
  {
    name: "GetCellInfo", usage: "<cell>", help: "Gets the CellInfo of a cell.",
    flags: {}, minArgs: 1, maxArgs: 1,
    async run(ctx, a) {
      const r = await ctx.call(Vtctld.method.getCellInfo, { cell: a.positional[0]! });
      ctx.out(pretty(r.cellInfo ? protoJson(CellInfoSchema, r.cellInfo) : null));
    },
  },
];
