import { SqlError, VT } from "@vt/errors";
import { makeField, Type, type Result, type Row } from "@vt/sqltypes";
import type { SrvTopo } from "./srv-topo.js";
import type { TabletGateway } from "./tablet-gateway.js";
import { TABLET_TYPE_NAMES } from "./tablet-health.js";

const enc = new TextEncoder();
const text = (s: string): Uint8Array => enc.encode(s);
const varcharResult = (names: readonly string[], rows: readonly (readonly string[])[]): Result => ({
  fields: names.map((n) => makeField(n, Type.VARCHAR, { charset: 45, columnLength: 256 })),
  rows: rows.map((r): Row => r.map(text)),
  rowsAffected: 0n, insertId: 0n, info: "",
});

/** SHOW VITESS_SHARDS: every serving shard as `keyspace/shard`, from the cell's SrvKeyspaces. */
export function showVitessShards(srv: SrvTopo): Result {
  const out = new Set<string>();
  for (const ks of srv.keyspaceNames()) {
    for (const p of srv.srvKeyspace(ks)?.partitions ?? []) {
      for (const ref of p.shardReferences) out.add(`${ks}/${ref.name}`);
    }
  }
  return varcharResult(["Shards"], [...out].sort().map((s) => [s]));
}

/** SHOW VITESS_TABLETS: the tablets vtgate knows, with their health. */
export function showVitessTablets(gw: TabletGateway): Result {
  const rows = gw.all().map((t) => {
    const term = t.primaryTermStartTimestamp > 0n ? new Date(Number(t.primaryTermStartTimestamp) * 1000).toISOString().replace(/\.\d+Z$/, "Z") : "";
    return [t.tablet.alias?.cell ?? "", t.keyspace, t.shard, TABLET_TYPE_NAMES[t.tabletType] ?? "UNKNOWN",
      t.serving ? "SERVING" : "NOT_SERVING", t.alias, t.tablet.hostname, term];
  });
  return varcharResult(["Cell", "Keyspace", "Shard", "TabletType", "State", "Alias", "Hostname", "PrimaryTermStartTime"], rows);
}

/** SHOW KEYSPACES / SHOW VITESS_KEYSPACES / SHOW DATABASES: the keyspaces of the VSchema and the cell. */
export function showKeyspaces(srv: SrvTopo): Result {
  const names = new Set([...srv.vschema.keyspaces.keys(), ...srv.keyspaceNames()]);
  return varcharResult(["Database"], [...names].sort().map((n) => [n]));
}

/** SHOW VITESS_TARGET: the session's target string. */
export function showVitessTarget(target: string): Result {
  return varcharResult(["Target"], [[target]]);
}

/**
 * SHOW VSCHEMA TABLES: the tables of the session keyspace's VSchema (with tracked tables merged in) plus `dual`,
 * sorted. Throws VT09005 (1046/3D000) without a keyspace, 1049 for an unknown one.
 */
export function showVSchemaTables(srv: SrvTopo, keyspace: string): Result {
  if (keyspace === "") throw VT.VT09005();
  const ks = srv.vschema.keyspaces.get(keyspace);
  if (!ks) throw new SqlError(1049, "42000", `VT05003: unknown database '${keyspace}' in vschema`, "NOT_FOUND");
  return varcharResult(["Tables"], [...new Set([...ks.tables.keys(), "dual"])].sort().map((t) => [t]));
}
