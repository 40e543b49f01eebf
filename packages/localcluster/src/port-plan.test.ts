import { describe, expect, it } from "vitest";
import { parseClusterSpec } from "./cluster-spec.js";
import { autoPortPlan, fixedPortPlan, getFreePorts, isPortOpen, planPorts, portAt, withPorts } from "./port-plan.js";

const spec = parseClusterSpec("keyspaces: [{name: commerce, sharded: true, shards: ['-80','80-']}]");

describe("port plan", () => {
  it("follows the local example's ports for base 15000", () => {
    const p = fixedPortPlan(spec);
    expect([p.etcd, p.etcdPeer, p.vtctldGrpc, p.vtctldHttp, p.vtgateMysql, p.vtgateGrpc])
      .toEqual([2379, 2380, 15999, 15000, 15306, 15991]);
    expect(p.tablets.get("zone1-0000000100")).toEqual({ grpc: 16100, http: 15100, mysql: 17100 });
    expect(p.tablets.get("zone1-0000000201")).toEqual({ grpc: 16201, http: 15201, mysql: 17201 });
  });

  it("derives etcd ports from another base when asked", () => {
    const p = fixedPortPlan(spec, 20000, true);
    expect([p.etcd, p.etcdPeer, p.vtgateMysql]).toEqual([20979, 20980, 20306]);
  });

  it("auto plan gives distinct free ports", async () => {
    const p = await autoPortPlan(spec);
    const all = [p.etcd, p.etcdPeer, p.vtctldGrpc, p.vtctldHttp, p.vtgateMysql, p.vtgateGrpc,
      ...[...p.tablets.values()].flatMap((t) => [t.grpc, t.http, t.mysql])];
    expect(all).toHaveLength(18);
    expect(new Set(all).size).toBe(18);
    expect(all.every((x) => x > 1024 && ![2379, 15306, 15999].includes(x))).toBe(true);
  });

  it("getFreePorts releases its ports", async () => {
    const [port] = await getFreePorts(1);
    expect(await isPortOpen(port!)).toBe(false);
  });

  it("auto plan takes its ports from the given source", async () => {
    const asked: number[] = [];
    const p = await autoPortPlan(spec, async (n) => {
      asked.push(n);
      return Array.from({ length: n }, (_, i) => 30000 + i);
    });
    expect(asked).toEqual([18]);
    expect(planPorts(p).sort()).toEqual(Array.from({ length: 18 }, (_, i) => 30000 + i));
  });

  it("slots name single ports; withPorts replaces them without touching the rest", () => {
    const p = fixedPortPlan(spec);
    expect(portAt(p, "vtctldGrpc")).toBe(15999);
    expect(portAt(p, "zone1-0000000200/mysql")).toBe(17200);
    const q = withPorts(p, [["etcd", 1], ["zone1-0000000200/grpc", 2]]);
    expect([q.etcd, q.etcdPeer, q.tablets.get("zone1-0000000200")]).toEqual([1, 2380, { grpc: 2, http: 15200, mysql: 17200 }]);
    expect(p.etcd).toBe(2379);
    expect(p.tablets.get("zone1-0000000200")!.grpc).toBe(16200);
    expect(() => portAt(p, "zone9-0000000001/grpc")).toThrow(/no tablet/);
  });
});
