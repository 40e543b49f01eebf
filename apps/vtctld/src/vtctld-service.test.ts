import { TabletManager } from "@vt/proto/tabletmanagerservice";
import { TabletType } from "@vt/proto/topodata";
import { Vtctld } from "@vt/proto/vtctlservice";
import { createClient, RpcServer, type Client } from "@vt/rpc";
import { createTablet, newMemoryTopoServer, newTablet, updateShardFields, type TopoServer } from "@vt/topo";
import { defaultVindexRegistry } from "@vt/vindexes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VtctldMethods } from "./deps.js";
import { GrpcTabletManagerClient } from "./tablet-manager-client.js";
import { createVtctldService } from "./vtctld-service.js";

const SEED_VSCHEMA = {
  sharded: true,
  vindexes: { hash: { type: "hash" } },
  tables: {
    users: { columnVindexes: [{ column: "user_id", name: "hash" }] },
    orders: { columnVindexes: [{ column: "user_id", name: "hash" }] },
  },
};

let ts: TopoServer;
let vtctld: RpcServer;
let fakeTablet: RpcServer;
let client: Client<VtctldMethods>;
const tmc = new GrpcTabletManagerClient(5000);
const fetched: { port: number; db: string; query: string }[] = [];
let failOn: string | undefined;

beforeAll(async () => {
  ({ ts } = await newMemoryTopoServer("zone1"));
  // One fake tablet process answering TabletManager for every tablet record (they share its port).
  fakeTablet = new RpcServer({ reflection: false }).serve(TabletManager, {
    ping: (req) => ({ payload: req.payload }),
    executeFetchAsDba: (req, ctx) => {
      const query = new TextDecoder().decode(req.query);
      if (failOn !== undefined && query.includes(failOn)) throw new Error(`boom on ${failOn}`);
      fetched.push({ port: Number(ctx.metadata.get("x-port")[0] ?? 0), db: req.dbName, query });
      return { result: { rowsAffected: 0n } };
    },
  });
  const tport = await fakeTablet.listen("127.0.0.1", 0);
  vtctld = new RpcServer().serve(Vtctld, createVtctldService({ ts, tmc, registry: defaultVindexRegistry(), version: "test" }));
  const port = await vtctld.listen("127.0.0.1", 0);
  client = createClient(Vtctld, `127.0.0.1:${port}`, { defaultTimeoutMs: 10_000 });
  await client.createKeyspace({ name: "commerce" });
  for (const shard of ["-80", "80-"]) await client.createShard({ keyspace: "commerce", shardName: shard });
  for (const [uid, shard, type] of [[100, "-80", TabletType.PRIMARY], [101, "-80", TabletType.REPLICA], [200, "80-", TabletType.PRIMARY]] as const) {
    await createTablet(ts, newTablet({
      alias: { cell: "zone1", uid }, hostname: "127.0.0.1", portMap: { grpc: tport }, keyspace: "commerce", shard, type,
      mysqlHostname: "127.0.0.1", mysqlPort: 17000 + uid,
    }));
    if (type === TabletType.PRIMARY) await updateShardFields(ts, "commerce", shard, (s) => { s.primaryAlias = { $typeName: "topodata.TabletAlias", cell: "zone1", uid }; });
  }
});

afterAll(async () => {
  client.close();
  tmc.close();
  await vtctld.close(100);
  await fakeTablet.close(100);
  await ts.close();
});

describe("vtctld service", () => {
  it("lists cells, keyspaces and shards", async () => {
    expect((await client.getCellInfoNames({})).names).toEqual(["zone1"]);
    expect((await client.getCellInfo({ cell: "zone1" })).cellInfo?.root).toBe("/vitess/zone1");
    expect((await client.getKeyspaces({})).keyspaces.map((k) => k.name)).toEqual(["commerce"]);
    const shards = await client.findAllShardsInKeyspace({ keyspace: "commerce" });
    expect(Object.keys(shards.shards).sort()).toEqual(["-80", "80-"]);
    expect((await client.getShard({ keyspace: "commerce", shardName: "-80" })).shard?.shard?.primaryAlias?.uid).toBe(100);
  });

  it("rejects a duplicate keyspace with ALREADY_EXISTS and a missing one with NOT_FOUND", async () => {
    await expect(client.createKeyspace({ name: "commerce" })).rejects.toMatchObject({ code: "NodeExists" });
    await expect(client.getKeyspace({ keyspace: "nope" })).rejects.toMatchObject({ code: "NoNode" });
  });

  it("filters tablets by keyspace, shard and type", async () => {
    const all = await client.getTablets({ keyspace: "commerce" });
    expect(all.tablets.map((t) => t.alias?.uid)).toEqual([100, 101, 200]);
    const prim = await client.getTablets({ keyspace: "commerce", tabletType: TabletType.PRIMARY });
    expect(prim.tablets.map((t) => t.alias?.uid)).toEqual([100, 200]);
    const shard = await client.getTablets({ keyspace: "commerce", shard: "-80" });
    expect(shard.tablets.map((t) => t.alias?.uid)).toEqual([100, 101]);
  });

  it("applies a valid VSchema, rebuilds SrvVSchema, and rejects bad ones leaving it unchanged", async () => {
    const r = await client.applyVSchema({ keyspace: "commerce", vSchema: SEED_VSCHEMA });
    expect(Object.keys(r.vSchema?.tables ?? {}).sort()).toEqual(["orders", "users"]);
    const srv = await client.getSrvVSchema({ cell: "zone1" });
    expect(srv.srvVSchema?.keyspaces["commerce"]?.sharded).toBe(true);
    const before = await client.getVSchema({ keyspace: "commerce" });
    await expect(client.applyVSchema({
      keyspace: "commerce", vSchema: { sharded: true, vindexes: { h: { type: "no_such_vindex_type" } } },
    })).rejects.toThrow(/vindexType "no_such_vindex_type" not found/);
    await expect(client.applyVSchema({
      keyspace: "commerce", vSchema: { sharded: true, vindexes: {}, tables: { t: { columnVindexes: [{ column: "id", name: "missing" }] } } },
    })).rejects.toThrow(/vindex "missing" not found for table "t"/);
    await expect(client.applyVSchema({
      keyspace: "commerce", vSchema: { sharded: true, vindexes: { h: { type: "hash" } }, tables: { t: {} } },
    })).rejects.toThrow(/missing primary col vindex for table: t/);
    expect(await client.getVSchema({ keyspace: "commerce" })).toEqual(before);
  });

  it("dry-run does not store; ALTER VSCHEMA edits the stored VSchema", async () => {
    const before = await client.getVSchema({ keyspace: "commerce" });
    const dry = await client.applyVSchema({ keyspace: "commerce", dryRun: true, vSchema: { sharded: true } });
    expect(dry.vSchema?.sharded).toBe(true);
    expect(await client.getVSchema({ keyspace: "commerce" })).toEqual(before);
    await client.applyVSchema({ keyspace: "commerce", sql: "alter vschema on bar add vindex hash (id)" });
    const after = await client.getVSchema({ keyspace: "commerce" });
    expect(after.vSchema?.tables["bar"]?.columnVindexes[0]?.column).toBe("id");
  });

  it("rebuilds the keyspace graph into SrvKeyspace", async () => {
    await client.rebuildKeyspaceGraph({ keyspace: "commerce" });
    const r = await client.getSrvKeyspaces({ keyspace: "commerce" });
    const prim = r.srvKeyspaces["zone1"]?.partitions.find((p) => p.servedType === TabletType.PRIMARY);
    expect(prim?.shardReferences.map((s) => s.name)).toEqual(["-80", "80-"]);
  });

  it("applies DDL on each shard's primary and reports failing shards", async () => {
    fetched.length = 0;
    await client.applySchema({ keyspace: "commerce", sql: ["CREATE TABLE a (id BIGINT PRIMARY KEY); CREATE TABLE b (id INT)"] });
    expect(fetched.map((f) => `${f.db}:${f.query}`).sort()).toEqual([
      "commerce:CREATE TABLE a (id BIGINT PRIMARY KEY)", "commerce:CREATE TABLE a (id BIGINT PRIMARY KEY)",
      "commerce:CREATE TABLE b (id INT)", "commerce:CREATE TABLE b (id INT)",
    ]);
    failOn = "bad_t";
    try {
      await expect(client.applySchema({ keyspace: "commerce", sql: ["CREATE TABLE bad_t (id INT)"] }))
        .rejects.toThrow(/schema change failed on 2 of 2 shards[\s\S]*commerce\/-80: .*boom on bad_t/);
    } finally {
      failOn = undefined;
    }
  });

  it("serializes racing ApplyVSchema calls through the keyspace lock (no lost update)", async () => {
    await Promise.all(["t1", "t2", "t3"].map((t) =>
      client.applyVSchema({ keyspace: "commerce", sql: `alter vschema on ${t} add vindex hash (id)` })));
    const vs = await client.getVSchema({ keyspace: "commerce" });
    expect(Object.keys(vs.vSchema?.tables ?? {})).toEqual(expect.arrayContaining(["t1", "t2", "t3", "users"]));
  });

  it("pings tablets and validates the keyspace", async () => {
    await client.pingTablet({ tabletAlias: { cell: "zone1", uid: 100 } });
    const v = await client.validateKeyspace({ keyspace: "commerce", pingTablets: true });
    expect(v.results).toEqual([]);
    await expect(client.changeTabletType({ tabletAlias: { cell: "zone1", uid: 100 }, dbType: TabletType.REPLICA }))
      .rejects.toThrow(/cannot be changed to or from PRIMARY/);
    await expect(client.deleteTablets({ tabletAliases: [{ cell: "zone1", uid: 100 }] })).rejects.toThrow(/is a primary/);
  });

  it("stores routing rules and rebuilds SrvVSchema with them", async () => {
    await client.applyRoutingRules({ routingRules: { rules: [{ fromTable: "u", toTables: ["commerce.users"] }] } });
    expect((await client.getRoutingRules({})).routingRules?.rules[0]?.fromTable).toBe("u");
    expect((await client.getSrvVSchema({ cell: "zone1" })).srvVSchema?.routingRules?.rules[0]?.toTables).toEqual(["commerce.users"]);
  });

  it("serves the serving-graph listings, ValidateShard and SetShardIsPrimaryServing", async () => {
    expect((await client.getSrvKeyspaceNames({})).names["zone1"]?.names).toEqual(["commerce"]);
    expect(Object.keys((await client.getSrvVSchemas({})).srvVSchemas)).toEqual(["zone1"]);
    expect((await client.validateShard({ keyspace: "commerce", shard: "-80" })).results).toEqual([]);
    const s = await client.setShardIsPrimaryServing({ keyspace: "commerce", shard: "80-", isServing: false });
    expect(s.shard?.isPrimaryServing).toBe(false);
    await client.setShardIsPrimaryServing({ keyspace: "commerce", shard: "80-", isServing: true });
    const ci = await client.updateCellInfo({ name: "zone1", cellInfo: { serverAddress: "memory2" } });
    expect(ci.cellInfo).toMatchObject({ serverAddress: "memory2", root: "/vitess/zone1" });
  });
});
