import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { isTopoError } from "@vt/errors";
import { TabletAliasSchema, TabletType } from "@vt/proto/topodata";
import {
  KeyspaceSchema as VSchemaKeyspaceSchema, RoutingRuleSchema, RoutingRulesSchema, type SrvVSchema, TableSchema,
} from "@vt/proto/vschema";
import type { SrvKeyspace } from "@vt/proto/topodata";
import { newMemoryTopoServer } from "./open-topo-server.js";
import { newTablet } from "./tablet.js";

const code = (p: Promise<unknown>): Promise<string> =>
  p.then(() => "ok", (e: unknown) => (isTopoError(e) ? e.code : String(e)));

describe("TopoServer cells and keyspaces", () => {
  it("manages CellInfo records", async () => {
    const { ts } = await newMemoryTopoServer("zone1", "zone2");
    expect(await ts.getCellInfoNames()).toEqual(["zone1", "zone2"]);
    expect((await ts.getCellInfo("zone1")).root).toBe("/vitess/zone1");
    expect(await code(ts.createCellInfo("zone1", { root: "/x" }))).toBe("NodeExists");
    await ts.updateCellInfoFields("zone2", (ci) => { ci.serverAddress = "elsewhere"; });
    expect((await ts.getCellInfo("zone2")).serverAddress).toBe("elsewhere");
    await ts.deleteCellInfo("zone2");
    expect(await ts.getCellInfoNames()).toEqual(["zone1"]);
    expect(await code(ts.getCellInfo("zone2"))).toBe("NoNode");
    expect(await code(ts.connForCell("nowhere"))).toBe("NoNode");
  });

  it("creates, versions, lists and deletes keyspaces", async () => {
    const { ts } = await newMemoryTopoServer("zone1");
    await ts.createKeyspace("commerce", { durabilityPolicy: "semi_sync" });
    await ts.createKeyspace("customer");
    expect(await ts.getKeyspaceNames()).toEqual(["commerce", "customer"]);
    const ki = await ts.getKeyspace("commerce");
    expect(ki.value.durabilityPolicy).toBe("semi_sync");
    ki.value.sidecarDbName = "_vt";
    await ts.updateKeyspace("commerce", ki.value, ki.version);
    expect(await code(ts.updateKeyspace("commerce", ki.value, ki.version))).toBe("BadVersion");
    await ts.createShard("customer", "-80");
    expect(await code(ts.deleteKeyspace("customer"))).toBe("NodeNotEmpty");
    await ts.saveVSchema("customer", create(VSchemaKeyspaceSchema, { sharded: true }));
    await ts.rebuildKeyspaceGraph("customer");
    await ts.deleteKeyspace("customer", true);
    expect(await ts.getKeyspaceNames()).toEqual(["commerce"]);
    expect(await ts.getSrvKeyspaceNames("zone1")).toEqual([]);
  });
});

describe("TopoServer shards", () => {
  it("parses key ranges from shard names and marks overlapping shards not serving", async () => {
    const { ts } = await newMemoryTopoServer("zone1");
    expect(await code(ts.createShard("nope", "0"))).toBe("NoNode");
    await ts.createKeyspace("ks");
    const s0 = await ts.createShard("ks", "0");
    expect(s0.value.keyRange).toBeUndefined();
    expect(s0.value.isPrimaryServing).toBe(true);
    const s1 = await ts.createShard("ks", "-80");
    expect([...(s1.value.keyRange?.start ?? [])]).toEqual([]);
    expect([...(s1.value.keyRange?.end ?? [])]).toEqual([0x80]);
    expect(s1.value.isPrimaryServing).toBe(false);
    expect(await code(ts.createShard("ks", "-80"))).toBe("NodeExists");
    expect(await ts.getShardNames("ks")).toEqual(["-80", "0"]);
    await expect(ts.createShard("ks", "80-40")).rejects.toThrow(/out of order/);
  });

  it("updateShardFields retries under CAS so concurrent updates are all applied", async () => {
    const { ts } = await newMemoryTopoServer("zone1");
    await ts.createKeyspace("ks");
    await ts.createShard("ks", "-");
    await Promise.all(["a", "b", "c", "d"].map((t) => ts.updateShardFields("ks", "-", (s) => {
      s.sourceShards.push({ $typeName: "topodata.Shard.SourceShard", uid: s.sourceShards.length, keyspace: t, shard: "0", tables: [] });
    })));
    const s = await ts.getShard("ks", "-");
    expect(s.value.sourceShards.map((x) => x.keyspace).sort()).toEqual(["a", "b", "c", "d"]);
    expect(await code(ts.updateShardFields("ks", "80-", () => {}))).toBe("NoNode");
    await ts.deleteShard("ks", "-");
    expect(await ts.findAllShardsInKeyspace("ks")).toEqual([]);
  });
});

describe("TopoServer tablets", () => {
  it("registers tablets with ShardReplication and finds them by cell and shard", async () => {
    const { ts } = await newMemoryTopoServer("zone1", "zone2");
    const mk = (cell: string, uid: number, shard: string, type: TabletType) => newTablet({
      alias: create(TabletAliasSchema, { cell, uid }), hostname: "localhost", keyspace: "ks", shard, type,
      portMap: { grpc: 16000 + uid },
    });
    await ts.createTablet(mk("zone1", 100, "-80", TabletType.PRIMARY));
    await ts.createTablet(mk("zone1", 101, "-80", TabletType.REPLICA));
    await ts.createTablet(mk("zone2", 200, "-80", TabletType.REPLICA));
    await ts.createTablet(mk("zone1", 300, "80-", TabletType.PRIMARY));
    expect(await code(ts.createTablet(mk("zone1", 100, "-80", TabletType.PRIMARY)))).toBe("NodeExists");
    const uids = (ts2: { alias?: { uid: number } }[]) => ts2.map((t) => t.alias?.uid).sort();
    expect(uids(await ts.getTabletsByCell("zone1"))).toEqual([100, 101, 300]);
    expect(uids(await ts.getTabletsByShard("ks", "-80"))).toEqual([100, 101, 200]);
    expect(uids(await ts.getTabletsByShard("ks", "-80", ["zone2"]))).toEqual([200]);
    const alias = create(TabletAliasSchema, { cell: "zone1", uid: 101 });
    const t = await ts.updateTabletFields(alias, (tab) => { tab.type = TabletType.RDONLY; });
    expect((await ts.getTablet(alias)).version).toBe(t.version);
    expect((await ts.getTablet(alias)).value.type).toBe(TabletType.RDONLY);
    await ts.deleteTablet(alias);
    expect(await code(ts.getTablet(alias))).toBe("NoNode");
    expect((await ts.getShardReplication("zone1", "ks", "-80")).nodes.map((n) => n.tabletAlias?.uid)).toEqual([100]);
    expect(await code(ts.deleteCellInfo("zone1"))).toBe("NodeNotEmpty");
  });
});

describe("TopoServer serving graph", () => {
  it("rebuildKeyspaceGraph writes sorted shard references per served type, and watchers see it", async () => {
    const { ts } = await newMemoryTopoServer("zone1");
    await ts.createKeyspace("ks");
    await ts.createShard("ks", "80-");
    await ts.createShard("ks", "-80");
    await ts.rebuildKeyspaceGraph("ks");
    const srv = await ts.getSrvKeyspace("zone1", "ks");
    expect(srv.partitions.map((p) => p.servedType)).toEqual([TabletType.PRIMARY, TabletType.REPLICA, TabletType.RDONLY]);
    for (const p of srv.partitions) expect(p.shardReferences.map((r) => r.name)).toEqual(["-80", "80-"]);
    const w = await ts.watchSrvKeyspace("zone1", "ks");
    const it = w.changes[Symbol.asyncIterator]();
    await ts.updateShardFields("ks", "80-", (s) => { s.isPrimaryServing = false; });
    await ts.rebuildKeyspaceGraph("ks", ["zone1"]);
    const next = await it.next();
    expect(next.done).toBe(false);
    const value = next.value as SrvKeyspace;
    expect(value.partitions[0]?.shardReferences.map((r) => r.name)).toEqual(["-80"]);
    w.cancel();
  });

  it("rebuildVSchemaGraph rolls up vschemas and routing rules", async () => {
    const { ts } = await newMemoryTopoServer("zone1");
    await ts.createKeyspace("a");
    await ts.createKeyspace("b");
    await ts.saveVSchema("a", create(VSchemaKeyspaceSchema, { sharded: true }));
    await ts.saveRoutingRules(create(RoutingRulesSchema, { rules: [create(RoutingRuleSchema, { fromTable: "t", toTables: ["a.t"] })] }));
    await ts.rebuildVSchemaGraph();
    const srv = await ts.getSrvVSchema("zone1");
    expect(Object.keys(srv.keyspaces).sort()).toEqual(["a", "b"]);
    expect(srv.keyspaces["a"]?.sharded).toBe(true);
    expect(srv.keyspaces["b"]?.sharded).toBe(false);
    expect(srv.routingRules?.rules[0]?.toTables).toEqual(["a.t"]);
    const w = await ts.watchSrvVSchema("zone1");
    await ts.saveRoutingRules(create(RoutingRulesSchema));
    expect((await ts.getRoutingRules()).rules).toEqual([]);
    await ts.rebuildVSchemaGraph();
    const next = await w.changes[Symbol.asyncIterator]().next();
    expect((next.value as SrvVSchema).routingRules?.rules ?? []).toEqual([]);
    w.cancel();
  });
});

describe("TopoServer locks", () => {
  it("lockKeyspace serializes read-modify-write so no update is lost", async () => {
    const { ts } = await newMemoryTopoServer("zone1");
    await ts.createKeyspace("ks");
    await ts.saveVSchema("ks", create(VSchemaKeyspaceSchema, {}));
    const addTable = (name: string) => ts.lockKeyspace("ks", `ApplyVSchema ${name}`, async (lock) => {
      const vs = await ts.getVSchema("ks");
      await new Promise((r) => setTimeout(r, 20));
      await lock.check();
      vs.tables[name] = create(TableSchema, {});
      await ts.saveVSchema("ks", vs);
    });
    await Promise.all(["t1", "t2", "t3"].map(addTable));
    expect(Object.keys((await ts.getVSchema("ks")).tables).sort()).toEqual(["t1", "t2", "t3"]);
    expect(await code(ts.lockKeyspace("missing", "x", async () => {}))).toBe("NoNode");
    expect(await ts.lockName("my-lock", "x", async () => 42)).toBe(42);
  });
});
