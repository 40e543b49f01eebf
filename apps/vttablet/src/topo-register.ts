import { create } from "@bufbuild/protobuf";
import { isTopoError } from "@vt/errors";
import { parseShardName, keyRangeIsComplete } from "@vt/key";
import { KeyRangeSchema, TabletAliasSchema, TabletSchema, type Tablet, type TabletAlias } from "@vt/proto/topodata";
import { TimeSchema } from "@vt/proto/vttime";
import type { TopoServer } from "@vt/topo";

/** What a tablet publishes about itself. */
export interface TabletRecord {
  alias: { cell: string; uid: number };
  hostname: string;
  grpcPort: number;
  keyspace: string;
  shard: string;
  tabletType: number;
  mysqlHostname: string;
  mysqlPort: number;
  dbNameOverride: string;
}

const ignoreExists = (e: unknown) => { if (!(isTopoError(e) && e.code === "NodeExists")) throw e; };

/** The Tablet proto for a record. */
export function tabletProto(r: TabletRecord): Tablet {
  const kr = parseShardName(r.shard);
  return create(TabletSchema, {
    alias: r.alias, hostname: r.hostname, portMap: { grpc: r.grpcPort }, keyspace: r.keyspace, shard: r.shard,
    ...(keyRangeIsComplete(kr) ? {} : { keyRange: create(KeyRangeSchema, { start: kr.start, end: kr.end }) }),
    type: r.tabletType, dbNameOverride: r.dbNameOverride, mysqlHostname: r.mysqlHostname, mysqlPort: r.mysqlPort,
    tabletStartTime: nowTime(),
  });
}

/** The current time as vttime.Time. */
export const nowTime = () => {
  const ms = Date.now();
  return create(TimeSchema, { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1e6 });
};

/**
 * Registers the tablet in topo: the cell's CellInfo, the Keyspace and Shard records if missing, the Tablet record
 * (created, or overwritten on restart) and the ShardReplication entry. Throws TopoError on topo failures.
 */
export async function registerTablet(topo: TopoServer, r: TabletRecord, globalServerAddress: string): Promise<Tablet> {
  await topo.createCellInfo(r.alias.cell, { serverAddress: globalServerAddress, root: `/vitess/${r.alias.cell}` }).catch(ignoreExists);
  await topo.createKeyspace(r.keyspace, {}).catch(ignoreExists);
  await topo.createShard(r.keyspace, r.shard).catch(ignoreExists);
  const tablet = tabletProto(r);
  try {
    await topo.createTablet(tablet);
  } catch (e) {
    ignoreExists(e);
    await topo.updateTabletFields(r.alias as TabletAlias, (t) => {
      Object.assign(t, tablet, { primaryTermStartTime: t.primaryTermStartTime });
    });
    await topo.addShardReplicationRecord(r.keyspace, r.shard, r.alias as TabletAlias);
  }
  return tablet;
}

/** Makes this tablet the shard's primary in topo (primary_alias, primary_term_start_time, is_primary_serving). */
export async function publishPrimary(topo: TopoServer, r: TabletRecord): Promise<void> {
  const term = nowTime();
  await topo.updateShardFields(r.keyspace, r.shard, (s) => {
    s.primaryAlias = create(TabletAliasSchema, r.alias);
    s.primaryTermStartTime = term;
    s.isPrimaryServing = true;
  });
  await topo.updateTabletFields(r.alias as TabletAlias, (t) => { t.primaryTermStartTime = term; });
}

/** Tablet types as numbers (topodata.TabletType). */
const PRIMARY = 1;
const REPLICA = 2;

/**
 * The type a starting tablet serves as. The shard record in topo wins over --init_tablet_type, as in Vitess: a tablet
 * the shard names as its primary (e.g. promoted by PlannedReparentShard, then restarted) comes back as PRIMARY; a tablet
 * started with --init_tablet_type=primary while the shard names another primary (it was reparented away, or
 * EmergencyReparentShard replaced it) comes back as REPLICA, so two primaries never take writes. `demoted` is true then.
 */
export async function startupTabletType(topo: TopoServer, r: TabletRecord): Promise<{ tabletType: number; demoted: boolean }> {
  let primary: { cell: string; uid: number } | undefined;
  try {
    const a = (await topo.getShard(r.keyspace, r.shard)).value.primaryAlias;
    if (a !== undefined && a.uid !== 0) primary = { cell: a.cell, uid: a.uid };
  } catch (e) {
    if (!isTopoError(e) || e.code !== "NoNode") throw e;
  }
  if (primary === undefined) return { tabletType: r.tabletType, demoted: false };
  const self = primary.cell === r.alias.cell && primary.uid === r.alias.uid;
  if (self) return { tabletType: PRIMARY, demoted: false };
  if (r.tabletType === PRIMARY) return { tabletType: REPLICA, demoted: true };
  return { tabletType: r.tabletType, demoted: false };
}

/** Waits until the shard has a primary whose Tablet record exists; returns that record. Retries every `retryMs`. */
export async function waitForPrimary(topo: TopoServer, keyspace: string, shard: string, signal: AbortSignal,
  retryMs = 500): Promise<Tablet> {
  for (;;) {
    signal.throwIfAborted();
    try {
      const s = await topo.getShard(keyspace, shard);
      const alias = s.value.primaryAlias;
      if (alias !== undefined && alias.uid !== 0) return (await topo.getTablet(alias)).value;
    } catch (e) {
      if (!isTopoError(e) || e.code !== "NoNode") throw e;
    }
    await new Promise((r) => setTimeout(r, retryMs));
  }
}
