import { TabletType, type Tablet, type TabletAlias } from "@vt/proto/topodata";
import type { SchemaDefinition } from "@vt/proto/tabletmanagerdata";
import {
  createCellsAlias, deleteCellsAlias, deleteSrvVSchema, findAllShardsInKeyspace, getCellsAliases, getTablet,
  getVSchema, tabletAliasString, updateCellsAliasFields,
} from "@vt/topo";
import { vtErr, type VtctldDeps, type VtctldImpl } from "../deps.js";
import { findTablets, shardPrimary } from "./tablets.js";

/** True for a gRPC UNIMPLEMENTED answer (the tablet lacks that TabletManager RPC). */
const isUnimplemented = (e: unknown): boolean => {
  const x = e as { vtCode?: unknown; message?: unknown };
  return x.vtCode === "UNIMPLEMENTED" || /not implemented|UNIMPLEMENTED/i.test(String(x.message));
};

/** A table's CREATE statement without AUTO_INCREMENT=n, which differs between shards for the same schema. */
const normalizedCreate = (schema: string): string => schema.replace(/ AUTO_INCREMENT=\d+/i, "");

/**
 * Cells aliases (Get/Add/Update/DeleteCellsAlias), DeleteSrvVSchema, GetPermissions, SleepTablet, RunHealthCheck,
 * ShardReplicationPositions, ValidateVSchema (tables in a primary's schema missing from the VSchema) and
 * ValidateSchemaKeyspace (every tablet's tables against the first shard primary's).
 */
export function extraHandlers(deps: VtctldDeps): VtctldImpl {
  const { ts, tmc } = deps;
  const tablet = async (a: TabletAlias | undefined): Promise<Tablet> => {
    if (a === undefined) throw vtErr("INVALID_ARGUMENT", "tablet_alias is required");
    return (await getTablet(ts, a)).value;
  };
  const schemaOf = async (t: Tablet, excludeTables: string[], includeViews: boolean): Promise<SchemaDefinition> => {
    const r = await tmc.forTablet(t).getSchema({ tables: [], excludeTables, includeViews, tableSchemaOnly: true });
    if (r.schemaDefinition === undefined) throw vtErr("INTERNAL", `tablet ${tabletAliasString(t.alias!)} returned no schema`);
    return r.schemaDefinition;
  };
  return {
    async getCellsAliases() {
      return { aliases: await getCellsAliases(ts) };
    },
    async addCellsAlias(req) {
      if (req.name === "") throw vtErr("INVALID_ARGUMENT", "cells alias name is required");
      await createCellsAlias(ts, req.name, req.cells);
      return {};
    },
    async updateCellsAlias(req) {
      const cellsAlias = await updateCellsAliasFields(ts, req.name, (a) => {
        a.cells = [...(req.cellsAlias?.cells ?? [])];
      });
      return { name: req.name, cellsAlias };
    },
    async deleteCellsAlias(req) {
      await deleteCellsAlias(ts, req.name);
      return {};
    },
    async deleteSrvVSchema(req) {
      if (req.cell === "") throw vtErr("INVALID_ARGUMENT", "cell is required");
      await deleteSrvVSchema(ts, req.cell);
      return {};
    },
    async getPermissions(req) {
      const r = await tmc.forTablet(await tablet(req.tabletAlias)).getPermissions({});
      return r.permissions ? { permissions: r.permissions } : {};
    },
    async sleepTablet(req) {
      const d = req.duration;
      const ns = d === undefined ? 0n : d.seconds * 1_000_000_000n + BigInt(d.nanos);
      const ms = Number(ns / 1_000_000n);
      await tmc.forTablet(await tablet(req.tabletAlias)).sleep({ duration: ns }, { timeoutMs: ms + 30_000 });
      return {};
    },
    async runHealthCheck(req) {
      const c = tmc.forTablet(await tablet(req.tabletAlias));
      try {
        await c.runHealthCheck({});
      } catch (e) {
        if (!isUnimplemented(e)) throw e;
        await c.ping({ payload: "health" });
      }
      return {};
    },
    async shardReplicationPositions(req) {
      const tablets = await findTablets(deps, { keyspace: req.keyspace, shard: req.shard, cells: [], tabletAliases: [], tabletType: TabletType.UNKNOWN });
      const replicationStatuses: Record<string, NonNullable<Awaited<ReturnType<ReturnType<typeof tmc.forTablet>["replicationStatus"]>>["status"]>> = {};
      const tabletMap: Record<string, Tablet> = {};
      await Promise.all(tablets.map(async (t) => {
        const alias = tabletAliasString(t.alias!);
        tabletMap[alias] = t;
        const c = tmc.forTablet(t);
        try {
          if (t.type === TabletType.PRIMARY) {
            const { position } = await c.primaryPosition({}, { timeoutMs: 10_000 });
            replicationStatuses[alias] = { position } as (typeof replicationStatuses)[string];
          } else {
            const r = await c.replicationStatus({}, { timeoutMs: 10_000 });
            if (r.status) replicationStatuses[alias] = r.status;
          }
        } catch {
          // Vitess leaves unreachable tablets out of replication_statuses
        }
      }));
      return { replicationStatuses, tabletMap };
    },
    async validateVSchema(req) {
      const vschema = await getVSchema(ts, req.keyspace);
      const shards = req.shards.length > 0 ? req.shards : (await findAllShardsInKeyspace(ts, req.keyspace)).map((s) => s.shardName);
      const results: string[] = [];
      const resultsByShard: Record<string, { results: string[] }> = {};
      await Promise.all(shards.map(async (shard) => {
        const r: string[] = [];
        try {
          const schema = await schemaOf(await shardPrimary(deps, req.keyspace, shard), req.excludeTables, req.includeViews);
          const missing = schema.tableDefinitions.map((t) => t.name).filter((n) => vschema.tables[n] === undefined && !req.excludeTables.includes(n));
          if (missing.length > 0) r.push(`${req.keyspace}/${shard} has tables that are not in the vschema: [${missing.join(" ")}]`);
        } catch (e) {
          r.push(`${req.keyspace}/${shard}: ${(e as Error).message}`);
        }
        resultsByShard[shard] = { results: r };
        results.push(...r);
      }));
      return { results: results.sort(), resultsByShard };
    },
    async validateSchemaKeyspace(req) {
      const shards = (await findAllShardsInKeyspace(ts, req.keyspace)).map((s) => s.shardName).filter((s) => req.shards.length === 0 || req.shards.includes(s)).sort();
      if (shards.length === 0) throw vtErr("NOT_FOUND", `keyspace ${req.keyspace} has no shards`);
      const refTablet = await shardPrimary(deps, req.keyspace, shards[0]!);
      const ref = await schemaOf(refTablet, req.excludeTables, req.includeViews);
      const refAlias = tabletAliasString(refTablet.alias!);
      const refTables = new Map(ref.tableDefinitions.map((t) => [t.name, normalizedCreate(t.schema)]));
      const results: string[] = [];
      const resultsByShard: Record<string, { results: string[] }> = {};
      await Promise.all(shards.map(async (shard) => {
        const r: string[] = [];
        const tablets = await findTablets(deps, { keyspace: req.keyspace, shard, cells: [], tabletAliases: [], tabletType: TabletType.UNKNOWN });
        for (const t of tablets) {
          const alias = tabletAliasString(t.alias!);
          if (alias === refAlias) continue;
          try {
            const s = await schemaOf(t, req.excludeTables, req.includeViews);
            const mine = new Map(s.tableDefinitions.map((d) => [d.name, normalizedCreate(d.schema)]));
            for (const [name, create] of refTables) {
              if (!mine.has(name)) r.push(`${refAlias} has an extra table named ${name} (not on ${alias})`);
              else if (mine.get(name) !== create) r.push(`${refAlias} and ${alias} disagree on schema for table ${name}`);
            }
            for (const name of mine.keys()) if (!refTables.has(name)) r.push(`${alias} has an extra table named ${name} (not on ${refAlias})`);
          } catch (e) {
            r.push(`${alias}: ${(e as Error).message}`);
          }
        }
        resultsByShard[shard] = { results: r };
        results.push(...r);
      }));
      return { results: results.sort(), resultsByShard };
    },
  };
}
