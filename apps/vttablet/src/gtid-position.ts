import { SqlError } from "@vt/errors";

/** Vitess's prefix of a MariaDB replication position ("MariaDB/0-100-42,1-200-7"). */
export const MARIADB_FLAVOR = "MariaDB";

/** A MariaDB GTID set as Vitess prints it: "MariaDB/<gtid list>". */
export const formatPosition = (gtids: string): string => `${MARIADB_FLAVOR}/${gtids}`;

/**
 * The bare MariaDB GTID list of a position, accepting "MariaDB/…" or a bare list. Throws INVALID_ARGUMENT for another
 * flavor or a malformed GTID.
 */
export function parsePosition(pos: string): string {
  const slash = pos.indexOf("/");
  const flavor = slash < 0 ? MARIADB_FLAVOR : pos.slice(0, slash);
  const gtids = slash < 0 ? pos : pos.slice(slash + 1);
  if (flavor !== MARIADB_FLAVOR) throw new SqlError(1105, "HY000", `unsupported replication flavor: ${flavor}`, "INVALID_ARGUMENT");
  for (const g of gtids.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    if (!/^\d+-\d+-\d+$/.test(g)) throw new SqlError(1105, "HY000", `invalid MariaDB GTID: ${g}`, "INVALID_ARGUMENT");
  }
  return gtids;
}

/** Highest sequence number per replication domain of a GTID list. */
function seqByDomain(gtids: string): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const g of gtids.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const [domain, , seq] = g.split("-");
    const n = BigInt(seq ?? "0");
    if ((m.get(domain!) ?? -1n) < n) m.set(domain!, n);
  }
  return m;
}

/** True when GTID list `have` contains everything in `want` (per domain, a sequence number at least as high). */
export function positionAtLeast(have: string, want: string): boolean {
  const h = seqByDomain(have);
  for (const [domain, seq] of seqByDomain(want)) if ((h.get(domain) ?? -1n) < seq) return false;
  return true;
}
