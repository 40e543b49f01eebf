/**
 * Vitess-style command-line flags: `--name value`, `--name=value`, boolean `--name`; dashes and underscores in
 * names are equivalent (Vitess accepts both spellings since v15). Unknown flags are an error, as in Vitess.
 */
export interface FlagSpec {
  readonly type: "string" | "number" | "boolean";
  readonly default: string | number | boolean;
  readonly help: string;
}

export type FlagValues<S extends Record<string, FlagSpec>> = {
  [K in keyof S]: S[K]["type"] extends "number" ? number : S[K]["type"] extends "boolean" ? boolean : string;
};

const canon = (name: string): string => name.replace(/-/g, "_");

/** Parses argv against a spec. Throws an Error naming the flag on unknown flags or bad numbers. */
export function parseFlags<S extends Record<string, FlagSpec>>(spec: S, argv: readonly string[]): FlagValues<S> {
  const byCanon = new Map(Object.keys(spec).map((k) => [canon(k), k]));
  const out: Record<string, string | number | boolean> = {};
  for (const [k, s] of Object.entries(spec)) out[k] = s.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-")) throw new Error(`unexpected argument: ${arg}`);
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const rawName = eq >= 0 ? body.slice(0, eq) : body;
    const key = byCanon.get(canon(rawName));
    if (key === undefined) throw new Error(`unknown flag: --${rawName}`);
    const s = spec[key]!;
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (s.type === "boolean") {
      out[key] = value === undefined ? true : !/^(false|0|no)$/i.test(value);
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new Error(`flag --${rawName} needs a value`);
    }
    if (s.type === "number") {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`flag --${rawName}: not a number: ${value}`);
      out[key] = n;
    } else out[key] = value;
  }
  return out as FlagValues<S>;
}

/** One line per flag, for --help. */
export function flagUsage(spec: Record<string, FlagSpec>): string {
  return Object.entries(spec)
    .map(([k, s]) => `  --${k} (${s.type}, default ${JSON.stringify(s.default)})\n      ${s.help}`)
    .join("\n");
}
