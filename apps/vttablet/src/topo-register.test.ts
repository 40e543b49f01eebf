import { create } from "@bufbuild/protobuf";
import { TabletAliasSchema } from "@vt/proto/topodata";
import { newMemoryTopoServer } from "@vt/topo";
import { describe, expect, it } from "vitest";
import { startupTabletType, type TabletRecord } from "./topo-register.js";

const rec = (uid: number, tabletType: number): TabletRecord => ({
  alias: { cell: "zone1", uid }, hostname: "h", grpcPort: 1, keyspace: "ks", shard: "-80", tabletType,
  mysqlHostname: "h", mysqlPort: 2, dbNameOverride: "",
});

describe("startupTabletType", () => {
  it("keeps --init_tablet_type when topo has no shard or no primary yet", async () => {
    const { ts: topo } = await newMemoryTopoServer("zone1");
    expect(await startupTabletType(topo, rec(100, 1))).toEqual({ tabletType: 1, demoted: false });
    await topo.createKeyspace("ks", {});
    await topo.createShard("ks", "-80");
    expect(await startupTabletType(topo, rec(101, 2))).toEqual({ tabletType: 2, demoted: false });
    expect(await startupTabletType(topo, rec(100, 1))).toEqual({ tabletType: 1, demoted: false });
  });

  it("follows the shard record: the named primary serves as PRIMARY, a primary-by-flag elsewhere comes back as REPLICA", async () => {
    const { ts: topo } = await newMemoryTopoServer("zone1");
    await topo.createKeyspace("ks", {});
    await topo.createShard("ks", "-80");
    await topo.updateShardFields("ks", "-80", (s) => { s.primaryAlias = create(TabletAliasSchema, { cell: "zone1", uid: 101 }); });
    expect(await startupTabletType(topo, rec(100, 1))).toEqual({ tabletType: 2, demoted: true });
    expect(await startupTabletType(topo, rec(101, 2))).toEqual({ tabletType: 1, demoted: false });
    expect(await startupTabletType(topo, rec(102, 3))).toEqual({ tabletType: 3, demoted: false });
  });
});
