import { fromJsonString } from "@bufbuild/protobuf";
import { isTopoError } from "@vt/errors";
import { KeyspaceSchema } from "@vt/proto/vschema";
import { Vtctld } from "@vt/proto/vtctlservice";
import { createClient } from "@vt/rpc";
import type { VtctldApi } from "./vtctld-api.js";

function alreadyExists(e: unknown): boolean {
  if (isTopoError(e, "NodeExists")) return true;
  const code = (e as { code?: unknown }).code;
  return code === 6 || code === "ALREADY_EXISTS" || /already exists|NodeExists/i.test(String((e as Error).message));
}

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!alreadyExists(e)) throw e;
  }
}

/** VtctldApi over vtctld's gRPC API (@vt/rpc client). Calls time out after 60 s (ApplySchema after 5 min). */
export async function grpcVtctldApi(addr: string): Promise<VtctldApi> {
  const c = createClient(Vtctld, addr, { defaultTimeoutMs: 60_000 });
  return {
    addCellInfo: (cell, serverAddress, root) =>
      ignoreExists(c.addCellInfo({ name: cell, cellInfo: { serverAddress, root } })),
    createKeyspace: (keyspace) => ignoreExists(c.createKeyspace({ name: keyspace, allowEmptyVSchema: true })),
    createShard: async (keyspace, shard) => {
      await c.createShard({ keyspace, shardName: shard, force: true });
    },
    rebuildKeyspaceGraph: async (keyspace, cells) => {
      await c.rebuildKeyspaceGraph({ keyspace, cells: [...cells] });
    },
    applySchema: async (keyspace, sql) => {
      await c.applySchema({ keyspace, sql: [...sql], ddlStrategy: "direct" }, { timeoutMs: 300_000 });
    },
    applyVSchema: async (keyspace, json) => {
      await c.applyVSchema({ keyspace, vSchema: fromJsonString(KeyspaceSchema, json) });
    },
    hasVSchema: async (keyspace) => {
      try {
        const r = await c.getVSchema({ keyspace });
        return r.vSchema !== undefined && (r.vSchema.sharded || Object.keys(r.vSchema.tables).length > 0);
      } catch {
        return false;
      }
    },
    close: () => c.close(),
  };
}
