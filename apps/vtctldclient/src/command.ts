import type { FlagDef, ParsedArgs } from "./args.js";
import type { VtctldCall } from "./vtctld-conn.js";

/** What a command gets to run: the vtctld call, an output sink and a file reader. */
export interface CommandContext {
  readonly call: VtctldCall;
  readonly out: (text: string) => void;
  readonly readFile: (path: string) => string;
}

/** One vtctldclient subcommand with Vitess's name, flags and positional arguments. */
export interface Command {
  readonly name: string;
  /** Usage line after the command name, e.g. `[--recursive] <keyspace>`. */
  readonly usage: string;
  readonly help: string;
  readonly flags: Readonly<Record<string, FlagDef>>;
  readonly minArgs: number;
  readonly maxArgs: number;
  run(ctx: CommandContext, args: ParsedArgs): Promise<void>;
}

/** Splits `keyspace/shard` (Vitess's shard argument form). Throws on bad input. */
export function parseKeyspaceShard(text: string): { keyspace: string; shard: string } {
  const i = text.indexOf("/");
  if (i <= 0 || i === text.length - 1) throw new Error(`invalid keyspace/shard: ${text} (want e.g. commerce/-80)`);
  return { keyspace: text.slice(0, i), shard: text.slice(i + 1) };
}
