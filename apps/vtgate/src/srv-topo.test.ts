import { create } from "@bufbuild/protobuf";
import { SrvKeyspaceSchema } from "@vt/proto/topodata";
import { SrvVSchemaSchema, type SrvVSchema } from "@vt/proto/vschema";
import { newMemoryTopoServer, updateSrvKeyspace, updateSrvVSchema, type TopoServer } from "@vt/topo";
import { buildVSchema, defaultVindexRegistry } from "@vt/vindexes";
import { afterEach, describe, expect, it } from "vitest";
import { SrvTopo } from "./srv-topo.js";

const registry = defaultVindexRegistry();
const srvVSchema = (vindexType: string, rules: { fromTable: string; toTables: string[] }[] = []): SrvVSchema => create(SrvVSchemaSchema, {
  keyspaces: {
    commerce: {
      sharded: true, vindexes: { v: { type: vindexType } },
      tables: { users: { columnVindexes: [{ column: "user_id", name: "v" }] } },
    },
  },
  routingRules: { rules },
});

async function until(probe: () => boolean, timeoutMs = 2000): Promise<void> {
  const t0 = Date.now();
  while (!probe()) {
    if (Date.now() - t0 > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("SrvTopo (vtgate's serving view of topo)", () => {
  let srv: SrvTopo | undefined;
  let ts: TopoServer | undefined;
  afterEach(async () => {
    srv?.close();
    await ts?.close();
  });

  it("follows SrvVSchema and SrvKeyspace changes, and keeps the last VSchema when the record goes away", async () => {
    ({ ts } = await newMemoryTopoServer("zone1"));
    await updateSrvVSchema(ts, "zone1", srvVSchema("hash"));
    const logs: string[] = [];
    let changes = 0;
    srv = new SrvTopo({ ts, cell: "zone1", buildVSchema: (j) => buildVSchema(j, registry), log: (m) => logs.push(m), retryMs: 20, discoverMs: 20 });
    srv.onChange(() => changes++);
    await srv.ready(2000);
    const vindexType = (): string | undefined => srv!.vschema.keyspaces.get("commerce")?.vindexes.get("v")?.constructor.name;
    const first = vindexType();
    expect(first).toBeDefined();

    await updateSrvVSchema(ts, "zone1", srvVSchema("xxhash", [{ fromTable: "old_users", toTables: ["commerce.users"] }]));
    await until(() => srv!.vschema.routingRules.has("old_users"));
    expect(vindexType()).not.toBe(first);
    const good = srv.vschema;

    // A deleted SrvVSchema leaves the last one in place.
    await (await ts.connForCell("zone1")).delete("SrvVSchema", null);
    await until(() => logs.some((l) => l.includes("no SrvVSchema")));
    expect(srv.vschema).toBe(good);

    expect(srv.srvKeyspace("commerce")).toBeUndefined();
    await updateSrvKeyspace(ts, "zone1", "commerce", create(SrvKeyspaceSchema, { partitions: [{ servedType: 1, shardReferences: [{ name: "-80" }, { name: "80-" }] }] }));
    await until(() => srv!.srvKeyspace("commerce") !== undefined);
    expect(srv.keyspaceNames()).toEqual(["commerce"]);
    expect(changes).toBeGreaterThanOrEqual(2);
  });

  it("finds keyspaces that have a SrvKeyspace but are not in the SrvVSchema", async () => {
    ({ ts } = await newMemoryTopoServer("zone1"));
    await updateSrvVSchema(ts, "zone1", create(SrvVSchemaSchema, {}));
    srv = new SrvTopo({ ts, cell: "zone1", buildVSchema: (j) => buildVSchema(j, registry), log: () => undefined, retryMs: 20, discoverMs: 20 });
    await srv.ready(2000);
    await updateSrvKeyspace(ts, "zone1", "other", create(SrvKeyspaceSchema, {}));
    await until(() => srv!.keyspaceNames().includes("other"));
  });
});
