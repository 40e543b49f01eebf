import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ClusterSpecError, loadClusterSpec, parseClusterSpec, tabletAlias } from "./cluster-spec.js";

const examples = fileURLToPath(new URL("../examples/", import.meta.url));

describe("cluster spec", () => {
  it("loads the default JSON example: commerce, -80/80-, primary+replica with uids 100/101, 200/201", () => {
    const spec = loadClusterSpec(`${examples}local.json`, "/tmp/x");
    expect(spec.cells).toEqual(["zone1"]);
    expect(spec.dataDir).toBe("/tmp/x/.vtdata");
    expect(spec.ports).toEqual({ base: 15000, etcd: 2379, etcdPeer: 2380 });
    const ks = spec.keyspaces[0]!;
    expect(ks.name).toBe("commerce");
    expect(ks.sharded).toBe(true);
    expect(ks.shards.map((s) => [s.name, s.tablets.map((t) => `${t.type}:${t.uid}`)])).toEqual([
      ["-80", ["primary:100", "replica:101"]],
      ["80-", ["primary:200", "replica:201"]],
    ]);
    expect(ks.schemaFile).toBe(`${examples}commerce/schema.sql`);
    expect(ks.vschemaFile).toBe(`${examples}commerce/vschema.json`);
  });

  it("YAML example equals JSON example", () => {
    expect(loadClusterSpec(`${examples}local.yaml`, "/w")).toEqual(loadClusterSpec(`${examples}local.json`, "/w"));
  });

  it("applies defaults for an unsharded keyspace and numbers shards across keyspaces", () => {
    const spec = parseClusterSpec(
      "keyspaces: [{name: a, sharded: true, shards: ['-80','80-'], tablets: [primary]}, {name: b}]",
      { cwd: "/d" },
    );
    expect(spec.keyspaces[1]!.sharded).toBe(false);
    expect(spec.keyspaces[1]!.shards.map((s) => s.name)).toEqual(["0"]);
    expect(spec.keyspaces[1]!.shards[0]!.tablets.map((t) => t.uid)).toEqual([300, 301]);
    expect(spec.keyspaces[0]!.shards[1]!.tablets.map((t) => t.uid)).toEqual([200]);
  });

  it.each([
    ["not: [valid", /does not parse/],
    ["keyspaces: []", /keyspaces must be a non-empty list/],
    ["keyspaces: [{name: a, tablets: [leader]}]", /type must be one of/],
    ["keyspaces: [{name: a, tablets: [replica]}]", /needs a primary/],
    ["keyspaces: [{name: a, shards: ['x-y']}]", /bad shard name/],
    ["keyspaces: [{name: a}, {name: a}]", /duplicate keyspace name a/],
    ["ports: {base: -1}\nkeyspaces: [{name: a}]", /ports.base must be a port/],
    ["keyspaces: [{name: a, tablets: [{type: primary, cell: zone9}]}]", /not in cells/],
  ])("rejects %s", (text, msg) => {
    expect(() => parseClusterSpec(text)).toThrow(ClusterSpecError);
    expect(() => parseClusterSpec(text)).toThrow(msg);
  });

  it("formats tablet aliases like Vitess", () => {
    expect(tabletAlias("zone1", 100)).toBe("zone1-0000000100");
  });
});
