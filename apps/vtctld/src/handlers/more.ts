import { isTopoError } from "@vt/errors";
import { TabletType, type TabletAlias } from "@vt/proto/topodata";
import {
  deleteCellInfo, getCellInfoNames, getShard, getSrvKeyspaceNames, getSrvVSchema, getTablet, tabletAliasString,
  updateCellInfoFields, updateShardFields,
} from "@vt/topo";
import { vtErr, type VtctldDeps, type VtctldImpl } from "../deps.js";
import { findTablets } from "./tablets.js";
import { validateKeyspace } from "./validate.js";

/**
 * UpdateCellInfo, DeleteCellInfo, GetSrvKeyspaceNames, GetSrvVSchemas, ValidateShard, ReloadSchema(Shard),
 * RefreshStateByShard, Start/StopReplication, SetShardIsPrimaryServing.
 */
export function moreHandlers(deps: VtctldDeps): VtctldImpl {
  const { ts, tmc } = deps;
  const tablet = async (a: TabletAlias | undefined) => {
    if (a === undefined) throw vtErr("INVALID_ARGUMENT", "tablet_alias is required");
    return (await getTablet(ts, a)).value;
  };
  const cellsOr = async (cells: string[]) => (cells.length > 0 ? cells : await getCellInfoNames(ts));
  return {
    async updateCellInfo(req) {
      const ci = await updateCellInfoFields(ts, req.name, (c) => {
        if (req.cellInfo?.serverAddress) c.serverAddress = req.cellInfo.serverAddress;
        if (req.cellInfo?.root) c.root = req.cellInfo.root;
      });
      return { name: req.name, cellInfo: ci };
    },
    async deleteCellInfo(req) {
      await deleteCellInfo(ts, req.name, req.force);
      return {};
    },
    async getSrvKeyspaceNames(req) {
      const names: Record<string, { names: string[] }> = {};
      for (const cell of await cellsOr(req.cells)) names[cell] = { names: await getSrvKeyspaceNames(ts, cell) };
      return { names };
    },
    async getSrvVSchemas(req) {
      const srvVSchemas: Record<string, Awaited<ReturnType<typeof getSrvVSchema>>> = {};
      for (const cell of await cellsOr(req.cells)) {
        try {
          srvVSchemas[cell] = await getSrvVSchema(ts, cell);
        } catch (e) {
          if (!isTopoError(e, "NoNode")) throw e;
        }
      }
      return { srvVSchemas };
    },
    async validateShard(req) {
      await getShard(ts, req.keyspace, req.shard);
      const r = await validateKeyspace(deps, req.keyspace, req.pingTablets);
      return { results: r.resultsByShard[req.shard]?.results ?? [] };
    },
    async reloadSchema(req) {
      await tmc.forTablet(await tablet(req.tabletAlias)).reloadSchema({});
      return {};
    },
    async reloadSchemaShard(req) {
      const tablets = (await findTablets(deps, { keyspace: req.keyspace, shard: req.shard, cells: [], tabletAliases: [], tabletType: TabletType.UNKNOWN }))
        .filter((t) => req.includePrimary || t.type !== TabletType.PRIMARY);
      const events: { value: string }[] = [];
      for (const t of tablets) {
        await tmc.forTablet(t).reloadSchema({ waitPosition: req.waitPosition }).catch((e: Error) => {
          events.push({ value: `Failed to reload schema on tablet ${tabletAliasString(t.alias!)}: ${e.message}` });
        });
      }
      return { events };
    },
    async refreshStateByShard(req) {
      const tablets = await findTablets(deps, { keyspace: req.keyspace, shard: req.shard, cells: req.cells, tabletAliases: [], tabletType: TabletType.UNKNOWN });
      const failed: string[] = [];
      await Promise.all(tablets.map((t) => tmc.forTablet(t).refreshState({}).catch((e: Error) => {
        failed.push(`${tabletAliasString(t.alias!)}: ${e.message}`);
      })));
      return { isPartialRefresh: failed.length > 0, partialRefreshDetails: failed.join("; ") };
    },
    async startReplication(req) {
      await tmc.forTablet(await tablet(req.tabletAlias)).startReplication({});
      return {};
    },
    async stopReplication(req) {
      await tmc.forTablet(await tablet(req.tabletAlias)).stopReplication({});
      return {};
    },
    async setShardIsPrimaryServing(req) {
      const s = await updateShardFields(ts, req.keyspace, req.shard, (sh) => {
        if (sh.isPrimaryServing === req.isServing) return false;
        sh.isPrimaryServing = req.isServing;
        return undefined;
      });
      return { shard: s.value };
    },
  };
}
