import { SqlError } from "@vt/errors";

/** Tablet types a session can target (topodata.TabletType names). */
export type TargetTabletType = "PRIMARY" | "REPLICA" | "RDONLY";

/**
 * A parsed session target, Vitess's `keyspace[:shard | [keyrange]][@type]` syntax:
 * `commerce`, `commerce:-80`, `commerce@replica`, `commerce:80-@rdonly`, `commerce[-80]`.
 * An empty keyspace means "no keyspace selected" (tables must be qualified or globally routable).
 */
export interface Target {
  readonly keyspace: string;
  readonly shard?: string;
  readonly keyRange?: string;
  readonly tabletType: TargetTabletType;
}

const TYPES: Record<string, TargetTabletType> = { primary: "PRIMARY", master: "PRIMARY", replica: "REPLICA", rdonly: "RDONLY", batch: "RDONLY" };

/** Parses a target string. Throws SqlError 1049 for an unknown tablet type. */
export function parseTarget(text: string): Target {
  let rest = text.trim();
  let tabletType: TargetTabletType = "PRIMARY";
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const t = TYPES[rest.slice(at + 1).toLowerCase()];
    if (t === undefined) throw new SqlError(1049, "42000", `Unknown database '${text}'`, "INVALID_ARGUMENT");
    tabletType = t;
    rest = rest.slice(0, at);
  }
  const bracket = /^([^[]*)\[([^\]]*)\]$/.exec(rest);
  if (bracket) return { keyspace: bracket[1]!, keyRange: bracket[2]!, tabletType };
  const colon = rest.indexOf(":");
  if (colon >= 0) return { keyspace: rest.slice(0, colon), shard: rest.slice(colon + 1), tabletType };
  return { keyspace: rest, tabletType };
}

/** Formats a target back to its string form. */
export function targetString(t: Target): string {
  let s = t.keyspace;
  if (t.shard !== undefined) s += `:${t.shard}`;
  else if (t.keyRange !== undefined) s += `[${t.keyRange}]`;
  if (t.tabletType !== "PRIMARY") s += `@${t.tabletType.toLowerCase()}`;
  return s;
}
