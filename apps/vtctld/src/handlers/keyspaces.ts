import { create } from "@bufbuild/protobuf";
import { isTopoError } from "@vt/errors";
import { KeyspaceSchema as VSchemaKeyspaceSchema } from "@vt/proto/vschema";
import {
  createKeyspace, deleteKeyspace, deleteTablet, getCellInfoNames, getKeyspace, getKeyspaceNames, getSrvKeyspace,
  getTabletsByCell, getVSchema, rebuildKeyspaceGraph, rebuildVSchemaGraph, saveVSchema,
} from "@vt/topo";
import { vtErr, type VtctldDeps, type VtctldImpl } from "../deps.js";

/** CreateKeyspace, GetKeyspace(s), DeleteKeyspace, RebuildKeyspaceGraph, GetSrvKeyspaces. */
export function keyspaceHandlers({ ts }: VtctldDeps): VtctldImpl {
  const keyspaceMsg = async (name: string) => ({ name, keyspace: (await getKeyspace(ts, name)).value });
  return {
    async createKeyspace(req) {
      if (req.name === "") throw vtErr("INVALID_ARGUMENT", "keyspace name is required");
      try {
        await createKeyspace(ts, req.name, {
          keyspaceType: req.type, baseKeyspace: req.baseKeyspace, durabilityPolicy: req.durabilityPolicy,
          sidecarDbName: req.sidecarDbName || "_vt", ...(req.snapshotTime ? { snapshotTime: req.snapshotTime } : {}),
        });
      } catch (e) {
        if (!(req.force && isTopoError(e, "NodeExists"))) throw e;
      }
      try {
        await getVSchema(ts, req.name);
      } catch (e) {
        if (!isTopoError(e, "NoNode")) throw e;
        await saveVSchema(ts, req.name, create(VSchemaKeyspaceSchema, {}));
      }
      return { keyspace: await keyspaceMsg(req.name) };
    },
    async getKeyspace(req) {
      return { keyspace: await keyspaceMsg(req.keyspace) };
    },
    async getKeyspaces() {
      const names = await getKeyspaceNames(ts);
      return { keyspaces: await Promise.all(names.map(keyspaceMsg)) };
    },
    async deleteKeyspace(req) {
      await getKeyspace(ts, req.keyspace);
      if (req.recursive) {
        for (const cell of await getCellInfoNames(ts)) {
          for (const t of await getTabletsByCell(ts, cell)) {
            if (t.keyspace === req.keyspace && t.alias) await deleteTablet(ts, t.alias);
          }
        }
      }
      await deleteKeyspace(ts, req.keyspace, req.recursive);
      await rebuildVSchemaGraph(ts);
      return {};
    },
    async rebuildKeyspaceGraph(req) {
      await rebuildKeyspaceGraph(ts, req.keyspace, req.cells.length > 0 ? req.cells : undefined);
      return {};
    },
    async getSrvKeyspaces(req) {
      await getKeyspace(ts, req.keyspace);
      const cells = req.cells.length > 0 ? req.cells : await getCellInfoNames(ts);
      const srvKeyspaces: Record<string, Awaited<ReturnType<typeof getSrvKeyspace>>> = {};
      for (const cell of cells) {
        try {
          srvKeyspaces[cell] = await getSrvKeyspace(ts, cell, req.keyspace);
        } catch (e) {
          if (!isTopoError(e, "NoNode")) throw e;
        }
      }
      return { srvKeyspaces };
    },
  };
}
