import { TabletType } from "@vt/proto/topodata";
import {
  findAllShardsInKeyspace, getCellInfoNames, getKeyspace, getKeyspaceNames, getShard, getTabletsByCell,
  tabletAliasEqual, tabletAliasString,
} from "@vt/topo";
import type { VtctldDeps, VtctldImpl } from "../deps.js";

/** Problems found in one keyspace: per shard, a list of messages (empty when consistent). */
export async function validateKeyspace(deps: VtctldDeps, keyspace: string, ping: boolean): Promise<{
  results: string[]; resultsByShard: Record<string, { results: string[] }>;
}> {
  await getKeyspace(deps.ts, keyspace);
  const cells = await getCellInfoNames(deps.ts);
  const tablets = (await Promise.all(cells.map((c) => getTabletsByCell(deps.ts, c)))).flat().filter((t) => t.keyspace === keyspace);
  const resultsByShard: Record<string, { results: string[] }> = {};
  const results: string[] = [];
  const shards = await findAllShardsInKeyspace(deps.ts, keyspace);
  if (shards.length === 0) results.push(`keyspace ${keyspace} has no shards`);
  for (const s of shards) {
    const r: string[] = [];
    const mine = tablets.filter((t) => t.shard === s.shardName);
    const primaries = mine.filter((t) => t.type === TabletType.PRIMARY);
    if (primaries.length === 0) r.push(`no primary tablet for shard ${keyspace}/${s.shardName}`);
    if (primaries.length > 1) r.push(`more than one primary tablet for shard ${keyspace}/${s.shardName}: ${primaries.map((t) => tabletAliasString(t.alias!)).join(", ")}`);
    const pa = s.value.primaryAlias;
    if (pa !== undefined && pa.uid !== 0 && primaries[0] !== undefined && !tabletAliasEqual(pa, primaries[0].alias)) {
      r.push(`shard ${keyspace}/${s.shardName} primary_alias ${tabletAliasString(pa)} is not the primary tablet ${tabletAliasString(primaries[0].alias!)}`);
    }
    if (ping) {
      for (const t of mine) {
        try {
          await deps.tmc.forTablet(t).ping({ payload: "validate" }, { timeoutMs: 5000 });
        } catch (e) {
          r.push(`tablet ${tabletAliasString(t.alias!)} does not answer: ${(e as Error).message}`);
        }
      }
    }
    resultsByShard[s.shardName] = { results: r };
    results.push(...r);
  }
  for (const t of tablets) {
    if (!shards.some((s) => s.shardName === t.shard)) {
      results.push(`tablet ${tabletAliasString(t.alias!)} is in shard ${keyspace}/${t.shard} which does not exist`);
    }
  }
  return { results, resultsByShard };
}

/** ValidateKeyspace, Validate. */
export function validateHandlers(deps: VtctldDeps): VtctldImpl {
  return {
    async validateKeyspace(req) {
      return validateKeyspace(deps, req.keyspace, req.pingTablets);
    },
    async validate(req) {
      const results: string[] = [];
      const resultsByKeyspace: Record<string, Awaited<ReturnType<typeof validateKeyspace>>> = {};
      const keyspaces = await getKeyspaceNames(deps.ts);
      for (const ks of keyspaces) {
        const r = await validateKeyspace(deps, ks, req.pingTablets);
        resultsByKeyspace[ks] = r;
        results.push(...r.results);
      }
      for (const cell of await getCellInfoNames(deps.ts)) {
        for (const t of await getTabletsByCell(deps.ts, cell)) {
          if (!keyspaces.includes(t.keyspace)) results.push(`tablet ${tabletAliasString(t.alias!)} is in unknown keyspace ${t.keyspace}`);
          else await getShard(deps.ts, t.keyspace, t.shard).catch(() => results.push(`tablet ${tabletAliasString(t.alias!)} is in unknown shard ${t.keyspace}/${t.shard}`));
        }
      }
      return { results, resultsByKeyspace };
    },
  };
}
