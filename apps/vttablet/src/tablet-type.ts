import { SqlError } from "@vt/errors";

const TYPES: Record<string, number> = { primary: 1, master: 1, replica: 2, rdonly: 3, batch: 3, spare: 4, drained: 8 };

/** "primary" | "replica" | "rdonly" (any case) → topodata.TabletType. Throws SqlError INVALID_ARGUMENT otherwise. */
export function parseTabletType(s: string): number {
  const t = TYPES[s.toLowerCase()];
  if (t === undefined) throw new SqlError(1105, "HY000", `unknown tablet type: ${s}`, "INVALID_ARGUMENT");
  return t;
}
