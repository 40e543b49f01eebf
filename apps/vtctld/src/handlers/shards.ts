import { isTopoError } from "@vt/errors";
import {
  createKeyspace, createShard, deleteShard, findAllShardsInKeyspace, getCellInfoNames, getKeyspace, getShard,
  getTabletsByCell, deleteTablet, lockKeyspace, TopoPaths,
} from "@vt/topo";
import { vtErr, type VtctldDeps, type VtctldImpl } from "../deps.js";

/** CreateShard, GetShard, FindAllShardsInKeyspace, DeleteShards. */
export function shardHandlers({ ts }: VtctldDeps): VtctldImpl {
  return {
    async createShard(req) {
      if (req.includeParent) {
        try {
          await createKeyspace(ts, req.keyspace, {});
        } catch (e) {
          if (!isTopoError(e, "NodeExists")) throw e;
        }
      }
      const keyspace = { name: req.keyspace, keyspace: (await getKeyspace(ts, req.keyspace)).value };
      let exists = false;
      await lockKeyspace(ts, req.keyspace, "CreateShard", async () => {
        try {
          await createShard(ts, req.keyspace, req.shardName);
        } catch (e) {
          if (!(req.force && isTopoError(e, "NodeExists"))) throw e;
          exists = true;
        }
      });
      const s = await getShard(ts, req.keyspace, req.shardName);
      return { keyspace, shard: { keyspace: req.keyspace, name: req.shardName, shard: s.value }, shardAlreadyExists: exists };
    },
    async getShard(req) {
      const s = await getShard(ts, req.keyspace, req.shardName);
      return { shard: { keyspace: req.keyspace, name: req.shardName, shard: s.value } };
    },
    async findAllShardsInKeyspace(req) {
      await getKeyspace(ts, req.keyspace);
      const shards: Record<string, { keyspace: string; name: string; shard: (typeof all)[number]["value"] }> = {};
      const all = await findAllShardsInKeyspace(ts, req.keyspace);
      for (const s of all) shards[s.shardName] = { keyspace: req.keyspace, name: s.shardName, shard: s.value };
      return { shards };
    },
    async deleteShards(req) {
      for (const { keyspace, name } of req.shards) {
        const shard = await getShard(ts, keyspace, name);
        if (shard.value.isPrimaryServing && !req.evenIfServing) {
          throw vtErr("FAILED_PRECONDITION", `shard ${keyspace}/${name} is still serving; use --even-if-serving`);
        }
        const cells = await getCellInfoNames(ts);
        const tablets = (await Promise.all(cells.map((c) => getTabletsByCell(ts, c))))
          .flat().filter((t) => t.keyspace === keyspace && t.shard === name);
        if (tablets.length > 0 && !req.recursive) {
          throw vtErr("FAILED_PRECONDITION", `shard ${keyspace}/${name} still has ${tablets.length} tablets; use --recursive`);
        }
        for (const t of tablets) if (t.alias) await deleteTablet(ts, t.alias);
        for (const cell of cells) {
          const conn = await ts.connForCell(cell);
          await conn.delete(TopoPaths.shardReplication(keyspace, name), null).catch(() => {});
        }
        await deleteShard(ts, keyspace, name);
      }
      return {};
    },
  };
}
