import { readFileSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";

/** Tablet types the launcher can start (Vitess's topodata.TabletType names, lower case). */
export type TabletTypeName = "primary" | "replica" | "rdonly";

/** One tablet of a shard, after defaults are filled in. */
export interface TabletSpec {
  readonly type: TabletTypeName;
  readonly cell: string;
  /** Tablet uid; alias is `<cell>-<uid padded to 10 digits>`. */
  readonly uid: number;
}

/** One shard of a keyspace with its tablets (the first PRIMARY is started first). */
export interface ShardSpec {
  readonly name: string;
  readonly tablets: readonly TabletSpec[];
}

/** One keyspace: its shards and (optional) schema SQL and VSchema JSON files, as absolute paths. */
export interface KeyspaceSpec {
  readonly name: string;
  readonly sharded: boolean;
  readonly shards: readonly ShardSpec[];
  readonly schemaFile?: string;
  readonly vschemaFile?: string;
}

/** Fixed ports of a cluster spec: `base` derives vtctld/vtgate/tablet ports (see port-plan.ts). */
export interface SpecPorts {
  readonly base: number;
  readonly etcd: number;
  readonly etcdPeer: number;
}

/** A validated cluster spec with defaults applied and file paths resolved against the spec's directory. */
export interface ClusterSpec {
  readonly cells: readonly string[];
  /** Data directory, absolute (relative values in the file resolve against the current directory). */
  readonly dataDir: string;
  readonly ports: SpecPorts;
  readonly keyspaces: readonly KeyspaceSpec[];
}

/** Thrown for a spec that does not parse or does not validate; the message names the bad field. */
export class ClusterSpecError extends Error {
  override readonly name = "ClusterSpecError";
}

const TABLET_TYPES: readonly string[] = ["primary", "replica", "rdonly"];
const SHARD_NAME = /^([0-9a-f]*-[0-9a-f]*|0|-)$/;

/**
 * Parses a cluster spec from JSON or YAML text (`format` picks the parser; YAML also reads JSON).
 * File references (`schema`, `vschema`) resolve against `specDir`; `dataDir` against `cwd`.
 * Throws ClusterSpecError on bad syntax or a bad field.
 */
export function parseClusterSpec(
  text: string,
  opts: { format?: "json" | "yaml"; specDir?: string; cwd?: string } = {},
): ClusterSpec {
  let raw: unknown;
  try {
    raw = opts.format === "json" ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ClusterSpecError(`cluster spec does not parse: ${(e as Error).message}`);
  }
  return normalizeSpec(raw, opts.specDir ?? process.cwd(), opts.cwd ?? process.cwd());
}

/** Reads and parses a spec file (`.json`, `.yaml` or `.yml`). Throws ClusterSpecError. */
export function loadClusterSpec(file: string, cwd: string = process.cwd()): ClusterSpec {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ClusterSpecError(`cannot read cluster spec ${path}: ${(e as Error).message}`);
  }
  const format = extname(path) === ".json" ? "json" : "yaml";
  return parseClusterSpec(text, { format, specDir: dirname(path), cwd });
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ClusterSpecError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function str(v: unknown, what: string): string {
  if (typeof v !== "string" || v === "") throw new ClusterSpecError(`${what} must be a non-empty string`);
  return v;
}

function port(v: unknown, dflt: number, what: string): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0 || v > 65535) {
    throw new ClusterSpecError(`${what} must be a port number`);
  }
  return v;
}

function normalizeSpec(raw: unknown, specDir: string, cwd: string): ClusterSpec {
  const top = obj(raw, "cluster spec");
  const cellsRaw = top["cells"] ?? ["zone1"];
  if (!Array.isArray(cellsRaw) || cellsRaw.length === 0) throw new ClusterSpecError("cells must be a non-empty list");
  const cells = cellsRaw.map((c, i) => {
    const name = typeof c === "object" && c !== null ? (c as { name?: unknown }).name : c;
    return str(name, `cells[${i}]`);
  });
  const p = top["ports"] === undefined ? {} : obj(top["ports"], "ports");
  const ports: SpecPorts = {
    base: port(p["base"], 15000, "ports.base"),
    etcd: port(p["etcd"], 2379, "ports.etcd"),
    etcdPeer: port(p["etcdPeer"], 2380, "ports.etcdPeer"),
  };
  const ksRaw = top["keyspaces"];
  if (!Array.isArray(ksRaw) || ksRaw.length === 0) throw new ClusterSpecError("keyspaces must be a non-empty list");
  const uidState = { nextShard: 1 };
  const keyspaces = ksRaw.map((k, i) => normalizeKeyspace(k, i, cells, specDir, uidState));
  checkUnique(keyspaces.map((k) => k.name), "keyspace name");
  checkUnique(keyspaces.flatMap((k) => k.shards.flatMap((s) => s.tablets.map((t) => `${t.cell}-${t.uid}`))), "tablet");
  const dataDir = resolve(cwd, typeof top["dataDir"] === "string" ? top["dataDir"] : ".vtdata");
  return { cells, dataDir, ports, keyspaces };
}

function checkUnique(names: string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new ClusterSpecError(`duplicate ${what} ${n}`);
    seen.add(n);
  }
}

function normalizeKeyspace(
  raw: unknown, i: number, cells: string[], specDir: string, uidState: { nextShard: number },
): KeyspaceSpec {
  const k = obj(raw, `keyspaces[${i}]`);
  const name = str(k["name"], `keyspaces[${i}].name`);
  const sharded = k["sharded"] === undefined ? false : k["sharded"] === true;
  const shardNames = k["shards"] ?? (sharded ? ["-80", "80-"] : ["0"]);
  if (!Array.isArray(shardNames) || shardNames.length === 0) {
    throw new ClusterSpecError(`keyspaces[${i}].shards must be a non-empty list`);
  }
  const tabletsRaw = k["tablets"] ?? ["primary", "replica"];
  if (!Array.isArray(tabletsRaw) || tabletsRaw.length === 0) {
    throw new ClusterSpecError(`keyspaces[${i}].tablets must be a non-empty list`);
  }
  const shards = shardNames.map((s, j): ShardSpec => {
    const shard = str(s, `keyspaces[${i}].shards[${j}]`);
    if (!SHARD_NAME.test(shard)) throw new ClusterSpecError(`keyspaces[${i}].shards[${j}]: bad shard name ${shard}`);
    const base = uidState.nextShard++ * 100;
    const tablets = tabletsRaw.map((t, n) => normalizeTablet(t, `keyspaces[${i}].tablets[${n}]`, base + n, cells));
    if (!tablets.some((t) => t.type === "primary")) {
      throw new ClusterSpecError(`keyspaces[${i}]: each shard needs a primary tablet`);
    }
    return { name: shard, tablets };
  });
  const file = (key: string): string | undefined =>
    k[key] === undefined ? undefined : resolve(specDir, str(k[key], `keyspaces[${i}].${key}`));
  const schemaFile = file("schema");
  const vschemaFile = file("vschema");
  return {
    name, sharded, shards,
    ...(schemaFile !== undefined ? { schemaFile } : {}),
    ...(vschemaFile !== undefined ? { vschemaFile } : {}),
  };
}

function normalizeTablet(raw: unknown, what: string, uid: number, cells: string[]): TabletSpec {
  const t = typeof raw === "string" ? { type: raw } : obj(raw, what);
  const type = str(t["type"], `${what}.type`).toLowerCase();
  if (!TABLET_TYPES.includes(type)) throw new ClusterSpecError(`${what}.type must be one of ${TABLET_TYPES.join(", ")}`);
  const cell = t["cell"] === undefined ? cells[0]! : str(t["cell"], `${what}.cell`);
  if (!cells.includes(cell)) throw new ClusterSpecError(`${what}.cell ${cell} is not in cells`);
  return { type: type as TabletTypeName, cell, uid };
}

/** Formats a tablet alias as Vitess does: `zone1-0000000100`. */
export function tabletAlias(cell: string, uid: number): string {
  return `${cell}-${String(uid).padStart(10, "0")}`;
}
