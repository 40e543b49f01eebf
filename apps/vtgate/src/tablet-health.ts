import type { Tablet } from "@vt/proto/topodata";
import type { QueryService } from "@vt/tablet-client";

/** Tablet types by topodata number. */
export const TABLET_TYPE_NAMES: Record<number, string> = { 0: "UNKNOWN", 1: "PRIMARY", 2: "REPLICA", 3: "RDONLY", 5: "SPARE", 6: "EXPERIMENTAL", 7: "BACKUP", 8: "RESTORE", 9: "DRAINED" };

/**
 * What vtgate knows about one tablet (Vitess's TabletHealth): its topo record, its query service connection, and
 * the latest StreamHealth report. `serving` turns false as soon as the health stream dies or reports an error.
 */
export interface TabletHealth {
  readonly alias: string;
  tablet: Tablet;
  readonly conn: QueryService;
  /** Keyspace, shard and type as the tablet last reported them (falls back to the topo record). */
  keyspace: string;
  shard: string;
  tabletType: number;
  serving: boolean;
  replicationLagSeconds: number;
  primaryTermStartTimestamp: bigint;
  lastError: string;
  /** Stops the health stream loop. */
  stop(): void;
}

/** Tablet alias text `zone1-0000000100`. */
export function aliasString(a: { cell: string; uid: number } | undefined): string {
  return a ? `${a.cell}-${String(a.uid).padStart(10, "0")}` : "";
}
