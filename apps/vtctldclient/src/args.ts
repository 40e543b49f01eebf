/** A subcommand flag: string (repeatable when `multi`), boolean, or number. */
export interface FlagDef {
  readonly type: "string" | "boolean" | "number";
  /** Repeatable: values accumulate. */
  readonly multi?: boolean;
  /** With multi: each value is also split on commas (`--cells a,b`). */
  readonly commaList?: boolean;
  readonly help?: string;
}

/** Parsed subcommand arguments. */
export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string | boolean | number | string[]>;
  readonly positional: readonly string[];
}

/** Thrown for a usage error (unknown flag, missing value, wrong argument count). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const canon = (n: string): string => n.replace(/_/g, "-");

/**
 * Parses `--flag value`, `--flag=value`, boolean `--flag` / `--flag=false`, repeatable string flags and
 * positionals (`--` ends flags). Dashes and underscores in flag names are equivalent, as in Vitess.
 */
export function parseArgs(defs: Readonly<Record<string, FlagDef>>, argv: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | boolean | number | string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a === "-" || /^-\d/.test(a)) {
      positional.push(a);
      continue;
    }
    const body = a.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = canon(eq >= 0 ? body.slice(0, eq) : body);
    const def = defs[name];
    if (def === undefined) throw new UsageError(`unknown flag: --${name}`);
    let value = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (def.type === "boolean") {
      flags.set(name, value === undefined ? true : !/^(false|0|no)$/i.test(value));
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`flag needs an argument: --${name}`);
    }
    if (def.type === "number") {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`invalid number for --${name}: ${value}`);
      flags.set(name, n);
    } else if (def.multi) {
      const prev = flags.get(name);
      const vals = def.commaList ? value.split(",").filter((s) => s !== "") : [value];
      flags.set(name, [...(Array.isArray(prev) ? prev : []), ...vals]);
    } else flags.set(name, value);
  }
  return { flags, positional };
}

/** Typed accessors over ParsedArgs. */
export function str(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === "string" ? v : undefined;
}
export function strs(p: ParsedArgs, name: string): string[] {
  const v = p.flags.get(name);
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}
export function bool(p: ParsedArgs, name: string): boolean {
  return p.flags.get(name) === true;
}
export function num(p: ParsedArgs, name: string, dflt: number): number {
  const v = p.flags.get(name);
  return typeof v === "number" ? v : dflt;
}
