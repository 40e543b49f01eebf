import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { TopoError, isTopoError } from "@vt/errors";
import { type Tablet, type TabletAlias, TabletSchema } from "@vt/proto/topodata";
import { ignoreNoNode } from "./keyspace.js";
import { createProto, listNames, readProto, updateProtoFields, type Versioned, writeProto } from "./proto-io.js";
import type { TopoServer } from "./server.js";
import { addShardReplicationRecord, getShardReplication, removeShardReplicationRecord } from "./shard-replication.js";
import { parseTabletAlias, tabletAliasString } from "./tablet-alias.js";
import type { Version } from "./topo-conn.js";
import { TopoPaths } from "./topo-paths.js";

/** A tablet record with its version. */
export type TabletInfo = Versioned<Tablet>;

function aliasOf(t: Tablet): TabletAlias {
  if (t.alias === undefined) throw new TopoError("NoNode", "tablets", "tablet record has no alias");
  return t.alias;
}

/**
 * Registers a tablet: creates `tablets/<alias>/Tablet` in its cell, then adds it to the shard's ShardReplication
 * there (as Vitess's CreateTablet). Throws TopoError NodeExists.
 */
export async function createTablet(ts: TopoServer, tablet: Tablet): Promise<Version> {
  const alias = aliasOf(tablet);
  const conn = await ts.connForCell(alias.cell);
  const version = await createProto(conn, TopoPaths.tablet(tabletAliasString(alias)), TabletSchema, tablet);
  if (tablet.keyspace !== "" && tablet.shard !== "") await addShardReplicationRecord(ts, tablet.keyspace, tablet.shard, alias);
  return version;
}

/**
 * Registers or re-registers a tablet (Vitess's InitTablet path): creates the record, or overwrites it when it
 * already exists, and makes sure the shard's ShardReplication lists it. Returns the record's new version.
 */
export async function createOrUpdateTablet(ts: TopoServer, tablet: Tablet): Promise<Version> {
  try {
    return await createTablet(ts, tablet);
  } catch (e) {
    if (!isTopoError(e, "NodeExists")) throw e;
  }
  const version = await updateTablet(ts, tablet, null);
  const alias = aliasOf(tablet);
  if (tablet.keyspace !== "" && tablet.shard !== "") await addShardReplicationRecord(ts, tablet.keyspace, tablet.shard, alias);
  return version;
}

/** Reads a tablet record. Throws TopoError NoNode. */
export async function getTablet(ts: TopoServer, alias: TabletAlias): Promise<TabletInfo> {
  const conn = await ts.connForCell(alias.cell);
  return readProto(conn, TopoPaths.tablet(tabletAliasString(alias)), TabletSchema);
}

/** Writes a tablet record at `version` (null = upsert). Returns the new version. */
export async function updateTablet(ts: TopoServer, tablet: Tablet, version: Version | null): Promise<Version> {
  const alias = aliasOf(tablet);
  const conn = await ts.connForCell(alias.cell);
  return writeProto(conn, TopoPaths.tablet(tabletAliasString(alias)), TabletSchema, tablet, version);
}

/** CAS read-modify-write of a tablet record; `mutate` may return false to skip. Throws TopoError NoNode. */
export async function updateTabletFields(ts: TopoServer, alias: TabletAlias, mutate: (t: Tablet) => void | false): Promise<TabletInfo> {
  const conn = await ts.connForCell(alias.cell);
  const path = TopoPaths.tablet(tabletAliasString(alias));
  const r = await updateProtoFields(conn, path, TabletSchema, (cur) => {
    if (cur === null) throw new TopoError("NoNode", path);
    return mutate(cur) === false ? false : cur;
  });
  if (r === null) throw new TopoError("NoNode", path);
  return r;
}

/** Deletes a tablet record and its ShardReplication entry. Throws TopoError NoNode if the record is absent. */
export async function deleteTablet(ts: TopoServer, alias: TabletAlias): Promise<void> {
  const { value } = await getTablet(ts, alias);
  const conn = await ts.connForCell(alias.cell);
  await conn.delete(TopoPaths.tablet(tabletAliasString(alias)), null);
  if (value.keyspace !== "" && value.shard !== "") {
    await ignoreNoNode(removeShardReplicationRecord(ts, alias.cell, value.keyspace, value.shard, alias));
  }
}

/** Aliases of every tablet registered in `cell`, sorted. */
export async function getTabletAliasesByCell(ts: TopoServer, cell: string): Promise<TabletAlias[]> {
  const conn = await ts.connForCell(cell);
  return (await listNames(conn, TopoPaths.tabletsDir, true)).map(parseTabletAlias);
}

/** Every tablet record in `cell` (records that vanish while listing are skipped). */
export async function getTabletsByCell(ts: TopoServer, cell: string): Promise<Tablet[]> {
  return getTabletMap(ts, await getTabletAliasesByCell(ts, cell));
}

/** Records of the given aliases, skipping those that do not exist. */
export async function getTabletMap(ts: TopoServer, aliases: TabletAlias[]): Promise<Tablet[]> {
  const out: Tablet[] = [];
  for (const a of aliases) {
    try {
      out.push((await getTablet(ts, a)).value);
    } catch (e) {
      if (!isTopoError(e, "NoNode")) throw e;
    }
  }
  return out;
}

/** Tablets of one shard, found through its ShardReplication records in `cells` (default: every cell). */
export async function getTabletsByShard(ts: TopoServer, keyspace: string, shard: string, cells?: string[]): Promise<Tablet[]> {
  const aliases: TabletAlias[] = [];
  for (const cell of cells ?? (await ts.getCellInfoNames())) {
    const sr = await getShardReplication(ts, cell, keyspace, shard);
    for (const n of sr.nodes) if (n.tabletAlias !== undefined) aliases.push(n.tabletAlias);
  }
  return getTabletMap(ts, aliases);
}

/** A fresh Tablet message (for callers building a record to create). */
export function newTablet(init: MessageInitShape<typeof TabletSchema>): Tablet {
  return create(TabletSchema, init);
}
