import { describe, expect, it } from "vitest";
import { parseClusterSpec } from "./cluster-spec.js";
import { tabletTypesToWait } from "./start-cluster.js";

const spec = (keyspaces: unknown[]) =>
  parseClusterSpec(JSON.stringify({ cells: ["zone1"], dataDir: "/tmp/x", keyspaces }), { format: "json", specDir: "/tmp", cwd: "/tmp" });

describe("tabletTypesToWait", () => {
  it("waits for replicas only when every shard has one (else vtgate would sit out its whole wait timeout)", () => {
    expect(tabletTypesToWait(spec([{ name: "a", sharded: true, shards: ["-80", "80-"], tablets: ["primary", "replica"] }])))
      .toBe("PRIMARY,REPLICA");
    expect(tabletTypesToWait(spec([{ name: "a", sharded: true, shards: ["-80", "80-"], tablets: ["primary"] }])))
      .toBe("PRIMARY");
    expect(tabletTypesToWait(spec([
      { name: "a", sharded: true, shards: ["-80", "80-"], tablets: ["primary", "replica"] },
      { name: "b", tablets: ["primary", "rdonly"] },
    ]))).toBe("PRIMARY");
  });
});
