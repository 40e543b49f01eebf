import { readFileSync } from "node:fs";
import { parseArgs, UsageError, type FlagDef } from "./args.js";
import type { VtctldConn } from "./vtctld-conn.js";

/** Where the CLI writes, and how it connects (injectable for tests). */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly connect?: (server: string, timeoutMs: number) => Promise<VtctldConn>;
}

const GLOBAL_FLAGS: Record<string, FlagDef> = {
  server: { type: "string" }, "action-timeout": { type: "string" }, "action_timeout": { type: "string" },
  help: { type: "boolean" }, h: { type: "boolean" },
};

/** Parses a Go-style duration (`30s`, `1m`, `500ms`, `1h`) into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (m === null) throw new UsageError(`invalid duration: ${text}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
}

/**
 * Runs `vtctldclient [--server addr] [--action_timeout 1h] <Command> [flags] [args]` and returns the exit
 * code: 0 on success, 1 on a failed call, 2 on a usage error. Global flags may come before or after the command.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const cmdIndex = argv.findIndex((a, i) => !a.startsWith("-") && !isFlagValue(argv, i));
  const globalArgv = argv.filter((_, i) => i < (cmdIndex < 0 ? argv.length : cmdIndex));
  const name = cmdIndex < 0 ? undefined : argv[cmdIndex]!;
  const { commands } = await import("./commands/index.js");
  try {
    const g = parseArgs(GLOBAL_FLAGS, globalArgv);
    if (name === undefined || name === "help") {
      io.out(usage(commands));
      return name === undefined && !g.flags.get("help") && !g.flags.get("h") ? 2 : 0;
    }
    const cmd = commands.get(name);
    if (cmd === undefined) throw new UsageError(`unknown command "${name}" for "vtctldclient"`);
    const rest = argv.slice(cmdIndex + 1);
    const parsed = parseArgs({ ...cmd.flags, ...GLOBAL_FLAGS }, rest);
    if (parsed.flags.get("help") || parsed.flags.get("h")) {
      io.out(`${cmd.help}\n\nUsage:\n  vtctldclient ${cmd.name} ${cmd.usage}`);
      return 0;
    }
    const pick = (k: string): string | undefined => {
      const v = parsed.flags.get(k) ?? g.flags.get(k);
      return typeof v === "string" ? v : undefined;
    };
    const server = pick("server");
    if (server === undefined) throw new UsageError("--server is required (e.g. --server 127.0.0.1:15999)");
    const n = parsed.positional.length;
    if (n < cmd.minArgs || n > cmd.maxArgs) {
      throw new UsageError(`${cmd.name}: wrong number of arguments (${n})\nUsage: vtctldclient ${cmd.name} ${cmd.usage}`);
    }
    const timeout = parseDuration(pick("action-timeout") ?? pick("action_timeout") ?? "1h");
    const connect = io.connect ?? (await import("./vtctld-conn.js")).connectVtctld;
    const conn = await connect(server, timeout);
    try {
      await cmd.run({ call: conn.call, out: io.out, readFile: (p) => readFileSync(p, "utf8") }, parsed);
    } finally {
      conn.close();
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`Error: ${e.message}`);
      return 2;
    }
    const code = (e as { code?: unknown }).code;
    const prefix = typeof code === "string" && (e as Error).name === "VtctldCallError" ? `rpc error: code = ${code} desc = ` : "";
    io.err(`Error: ${name ?? ""}: ${prefix}${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

function isFlagValue(argv: readonly string[], i: number): boolean {
  const prev = argv[i - 1];
  return prev !== undefined && /^--?(server|action[-_]timeout)$/.test(prev);
}

function usage(commands: ReadonlyMap<string, { name: string; help: string }>): string {
  const lines = [...commands.values()].map((c) => `  ${c.name.padEnd(26)} ${c.help}`);
  return `vtctldclient: the Vitess admin CLI over vtctld's gRPC API.\n\nUsage:\n  vtctldclient --server <host:port> <command> [flags] [args]\n\nCommands:\n${lines.join("\n")}`;
}
