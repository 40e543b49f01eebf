import { clone } from "@bufbuild/protobuf";
import { TabletSchema, TabletType, type Tablet, type TabletAlias } from "@vt/proto/topodata";
import {
  deleteTablet, getCellInfoNames, getShard, getTablet, getTabletMap, getTabletsByCell, tabletAliasString,
  updateShardFields, tabletAliasEqual, updateTabletFields,
} from "@vt/topo";
import { vtErr, type VtctldDeps, type VtctldImpl } from "../deps.js";

/** Tablets matching a GetTablets request, sorted by alias. */
export async function findTablets(
  deps: VtctldDeps, f: { keyspace: string; shard: string; cells: string[]; tabletAliases: TabletAlias[]; tabletType: TabletType },
): Promise<Tablet[]> {
  let tablets: Tablet[];
  if (f.tabletAliases.length > 0) tablets = await getTabletMap(deps.ts, f.tabletAliases);
  else {
    const cells = f.cells.length > 0 ? f.cells : await getCellInfoNames(deps.ts);
    tablets = (await Promise.all(cells.map((c) => getTabletsByCell(deps.ts, c)))).flat();
  }
  return tablets
    .filter((t) => (f.keyspace === "" || t.keyspace === f.keyspace) && (f.shard === "" || t.shard === f.shard))
    .filter((t) => f.tabletType === TabletType.UNKNOWN || t.type === f.tabletType)
    .sort((a, b) => tabletAliasString(a.alias!).localeCompare(tabletAliasString(b.alias!)));
}

function need(alias: TabletAlias | undefined): TabletAlias {
  if (alias === undefined) throw vtErr("INVALID_ARGUMENT", "tablet_alias is required");
  return alias;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** GetTablet(s), DeleteTablets, ChangeTabletType, PingTablet, RefreshState, SetWritable, ExecuteFetchAs*, GetVersion. */
export function tabletHandlers(deps: VtctldDeps): VtctldImpl {
  const { ts, tmc } = deps;
  const tablet = async (a: TabletAlias | undefined): Promise<Tablet> => (await getTablet(ts, need(a))).value;
  return {
    async getTablet(req) {
      return { tablet: await tablet(req.tabletAlias) };
    },
    async getTablets(req) {
      return { tablets: await findTablets(deps, req) };
    },
    async deleteTablets(req) {
      for (const alias of req.tabletAliases) {
        const t = await tablet(alias);
        const isPrimary = t.type === TabletType.PRIMARY;
        if (isPrimary && !req.allowPrimary) {
          throw vtErr("FAILED_PRECONDITION", `cannot delete tablet ${tabletAliasString(alias)} as it is a primary, use allow_primary flag`);
        }
        await deleteTablet(ts, alias);
        if (isPrimary) {
          await updateShardFields(ts, t.keyspace, t.shard, (s) => {
            if (!tabletAliasEqual(s.primaryAlias, alias)) return false;
            s.primaryAlias = undefined;
            return undefined;
          }).catch(() => {});
        }
      }
      return {};
    },
    async changeTabletType(req) {
      const before = await tablet(req.tabletAlias);
      if (req.dbType === TabletType.PRIMARY || before.type === TabletType.PRIMARY) {
        throw vtErr("INVALID_ARGUMENT", "tablet type cannot be changed to or from PRIMARY; use a reparent (PlannedReparentShard) instead");
      }
      if (req.dryRun) {
        const after = clone(TabletSchema, before);
        after.type = req.dbType;
        return { beforeTablet: before, afterTablet: after, wasDryRun: true };
      }
      await tmc.forTablet(before).changeType({ tabletType: req.dbType });
      // The tablet owns its record; make sure topo reflects the change even if it has not written it yet.
      await updateTabletFields(ts, before.alias!, (t) => {
        if (t.type === req.dbType) return false;
        t.type = req.dbType;
        return undefined;
      });
      return { beforeTablet: before, afterTablet: await tablet(req.tabletAlias), wasDryRun: false };
    },
    async pingTablet(req) {
      await tmc.forTablet(await tablet(req.tabletAlias)).ping({ payload: "ping" });
      return {};
    },
    async refreshState(req) {
      await tmc.forTablet(await tablet(req.tabletAlias)).refreshState({});
      return {};
    },
    async setWritable(req) {
      const c = tmc.forTablet(await tablet(req.tabletAlias));
      if (req.writable) await c.setReadWrite({});
      else await c.setReadOnly({});
      return {};
    },
    async executeFetchAsDBA(req) {
      const t = await tablet(req.tabletAlias);
      const r = await tmc.forTablet(t).executeFetchAsDba({
        query: utf8(req.query), dbName: t.dbNameOverride || t.keyspace, maxRows: req.maxRows,
        disableBinlogs: req.disableBinlogs, reloadSchema: req.reloadSchema,
      });
      return r.result ? { result: r.result } : {};
    },
    async executeFetchAsApp(req) {
      const t = await tablet(req.tabletAlias);
      const r = await tmc.forTablet(t).executeFetchAsApp({ query: utf8(req.query), maxRows: req.maxRows });
      return r.result ? { result: r.result } : {};
    },
    async getVersion(req) {
      await tablet(req.tabletAlias);
      return { version: deps.version };
    },
  };
}

/** The primary tablet of a shard: the shard record's primary_alias, else the one PRIMARY-typed tablet. */
export async function shardPrimary(deps: VtctldDeps, keyspace: string, shard: string): Promise<Tablet> {
  const s = await getShard(deps.ts, keyspace, shard);
  if (s.value.primaryAlias !== undefined && s.value.primaryAlias.uid !== 0) {
    return (await getTablet(deps.ts, s.value.primaryAlias)).value;
  }
  const prim = await findTablets(deps, { keyspace, shard, cells: [], tabletAliases: [], tabletType: TabletType.PRIMARY });
  if (prim[0] === undefined) throw vtErr("FAILED_PRECONDITION", `shard ${keyspace}/${shard} has no primary tablet`);
  return prim[0];
}
