import { toJson, type DescMessage, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import type { Tablet } from "@vt/proto/topodata";
import { TabletType } from "@vt/proto/topodata";

/** proto3 JSON like Vitess's CLI: proto (snake_case) field names, unpopulated fields included. */
export function protoJson<D extends DescMessage>(schema: D, msg: MessageShape<D>): JsonValue {
  return toJson(schema, msg, { useProtoFieldName: true, alwaysEmitImplicit: true });
}

/** Pretty-prints any JSON value with a 2-space indent, as Vitess's `cli.MarshalJSON`. */
export function pretty(v: JsonValue | unknown): string {
  return JSON.stringify(v, null, 2);
}

/** A tablet alias as text: `zone1-0000000100`. */
export function aliasString(a: { cell: string; uid: number } | undefined): string {
  return a === undefined ? "<null>" : `${a.cell}-${String(a.uid).padStart(10, "0")}`;
}

/** Parses `zone1-0000000100` (or `zone1-100`) into a TabletAlias init shape. Throws on bad input. */
export function parseAlias(text: string): { cell: string; uid: number } {
  const m = /^(.+)-(\d+)$/.exec(text);
  if (m === null) throw new Error(`invalid tablet alias: ${text} (want cell-uid, e.g. zone1-0000000100)`);
  return { cell: m[1]!, uid: Number(m[2]) };
}

/** Lower-case tablet type name (`primary`), as Vitess prints it. */
export function tabletTypeName(t: TabletType): string {
  return TYPE_NAMES[t] ?? String(t);
}

const TYPE_NAMES: Record<number, string> = {
  0: "unknown", 1: "primary", 2: "replica", 3: "rdonly", 4: "spare", 5: "experimental", 6: "backup", 7: "restore", 8: "drained",
};

/** Parses a tablet type name case-insensitively (`primary`, `REPLICA`, `master` = primary). Throws on unknown. */
export function parseTabletType(text: string): TabletType {
  const up = text.toUpperCase() === "MASTER" ? "PRIMARY" : text.toUpperCase();
  const v = (TabletType as unknown as Record<string, number | undefined>)[up];
  if (v === undefined || typeof v !== "number") throw new Error(`unknown TabletType ${text}`);
  return v as TabletType;
}

/**
 * One tablet on one line, as `vtctldclient GetTablets` prints it:
 * `<alias> <keyspace> <shard> <type> <host:grpc> <mysql host:port> [<tags>] <primary term start | <null>>`.
 */
export function tabletAwk(t: Tablet): string {
  const port = t.portMap["grpc"] ?? t.portMap["vt"] ?? 0;
  const mysql = `${t.mysqlHostname || t.hostname}:${t.mysqlPort}`;
  const tags = `[${Object.entries(t.tags).map(([k, v]) => `${k}:${v}`).join(" ")}]`;
  const ts = t.primaryTermStartTime;
  const start = ts !== undefined && ts.seconds !== 0n
    ? new Date(Number(ts.seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") : "<null>";
  return [aliasString(t.alias), t.keyspace || "<null>", t.shard || "<null>", tabletTypeName(t.type),
    `${t.hostname}:${port}`, mysql, tags, start].join(" ");
}
