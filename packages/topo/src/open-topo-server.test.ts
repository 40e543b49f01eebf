import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Etcd3 } from "etcd3";
import { TabletAliasSchema, TabletType } from "@vt/proto/topodata";
import { KeyspaceSchema as VSchemaKeyspaceSchema } from "@vt/proto/vschema";
import { openTopoServer } from "./open-topo-server.js";
import { newTablet } from "./tablet.js";
import { startEtcd, type TestEtcd } from "./testing/index.js";

/** Retries `fn` for up to ~15 s (writes right after etcd comes back). */
async function retry<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= 30) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

describe("openTopoServer etcd2", () => {
  let etcd: TestEtcd;
  beforeAll(async () => { etcd = await startEtcd(); });
  afterAll(async () => { await etcd?.stop(); });

  it("stores records at Vitess's paths under the global and cell roots", async () => {
    const ts = openTopoServer({ implementation: "etcd2", globalServerAddress: etcd.endpoint, globalRoot: "/vitess/global" });
    const raw = new Etcd3({ hosts: `http://${etcd.endpoint}` });
    try {
      await ts.createCellInfo("zone1", { serverAddress: etcd.endpoint, root: "/vitess/zone1" });
      await ts.createKeyspace("commerce");
      await ts.createShard("commerce", "0");
      await ts.createTablet(newTablet({
        alias: create(TabletAliasSchema, { cell: "zone1", uid: 100 }), keyspace: "commerce", shard: "0", type: TabletType.PRIMARY,
      }));
      await ts.rebuildKeyspaceGraph("commerce");
      await ts.rebuildVSchemaGraph();
      await ts.lockShard("commerce", "0", "test", async () => {
        expect((await raw.getAll().prefix("/vitess/global/keyspaces/commerce/shards/0/locks/").keys()).length).toBe(1);
      });
      const keys = (await raw.getAll().prefix("/vitess/").keys()).sort();
      expect(keys).toEqual([
        "/vitess/global/cells/zone1/CellInfo",
        "/vitess/global/keyspaces/commerce/Keyspace",
        "/vitess/global/keyspaces/commerce/shards/0/Shard",
        "/vitess/zone1/SrvVSchema",
        "/vitess/zone1/keyspaces/commerce/SrvKeyspace",
        "/vitess/zone1/keyspaces/commerce/shards/0/ShardReplication",
        "/vitess/zone1/tablets/zone1-0000000100/Tablet",
      ]);
      expect((await ts.getTabletsByShard("commerce", "0")).map((t) => t.alias?.uid)).toEqual([100]);
    } finally {
      raw.close();
      await ts.close();
    }
  }, 30000);

  it("followSrvVSchema keeps following across an etcd outage", async () => {
    const ts = openTopoServer({ implementation: "etcd2", globalServerAddress: etcd.endpoint, globalRoot: "/follow/global" });
    try {
      await ts.createCellInfo("zone1", { serverAddress: etcd.endpoint, root: "/follow/zone1" });
      await ts.createKeyspace("ks");
      const ac = new AbortController();
      const seen: Array<boolean | null> = [];
      const follower = (async () => {
        for await (const v of ts.followSrvVSchema("zone1", { signal: ac.signal, retryDelayMs: 100 })) {
          seen.push(v === null ? null : v.keyspaces["ks"]?.sharded ?? false);
        }
      })();
      const waitFor = async (n: number): Promise<void> => {
        const deadline = Date.now() + 20000;
        while (seen.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      };
      await waitFor(1);
      await ts.rebuildVSchemaGraph();
      await waitFor(2);
      await etcd.kill();
      await new Promise((r) => setTimeout(r, 500));
      await etcd.start();
      await retry(() => ts.saveVSchema("ks", create(VSchemaKeyspaceSchema, { sharded: true })));
      await retry(() => ts.rebuildVSchemaGraph());
      await waitFor(3);
      ac.abort();
      await follower;
      expect(seen).toEqual([null, false, true]);
    } finally {
      await ts.close();
    }
  }, 60000);
});
