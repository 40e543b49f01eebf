import { createServer, type Server } from "node:net";
import type { ClusterSpec } from "./cluster-spec.js";
import { tabletAlias } from "./cluster-spec.js";

/** Ports of one tablet: its vttablet gRPC/HTTP ports and its MariaDB port. */
export interface TabletPorts {
  readonly grpc: number;
  readonly http: number;
  readonly mysql: number;
}

/** Every port a cluster listens on. */
export interface PortPlan {
  readonly etcd: number;
  readonly etcdPeer: number;
  readonly vtctldGrpc: number;
  readonly vtctldHttp: number;
  readonly vtgateMysql: number;
  readonly vtgateGrpc: number;
  /** Keyed by tablet alias (`zone1-0000000100`). */
  readonly tablets: ReadonlyMap<string, TabletPorts>;
}

/**
 * Fixed ports derived from a base, following the local example's layout for base 15000: vtctld HTTP base,
 * vtctld gRPC base+999, vtgate MySQL base+306, vtgate gRPC base+991, tablet uid U: HTTP base+U,
 * gRPC base+1000+U, MariaDB base+2000+U. etcd ports come from the spec (or base+979/+980 via `etcdFromBase`).
 */
export function fixedPortPlan(spec: ClusterSpec, base: number = spec.ports.base, etcdFromBase = false): PortPlan {
  const tablets = new Map<string, TabletPorts>();
  for (const t of allTablets(spec)) {
    tablets.set(tabletAlias(t.cell, t.uid), { http: base + t.uid, grpc: base + 1000 + t.uid, mysql: base + 2000 + t.uid });
  }
  return {
    etcd: etcdFromBase ? base + 979 : spec.ports.etcd,
    etcdPeer: etcdFromBase ? base + 980 : spec.ports.etcdPeer,
    vtctldGrpc: base + 999,
    vtctldHttp: base,
    vtgateMysql: base + 306,
    vtgateGrpc: base + 991,
    tablets,
  };
}

/** Ports for a spec picked by the OS (all distinct, free at the time of the call). */
export async function autoPortPlan(spec: ClusterSpec): Promise<PortPlan> {
  const aliases = allTablets(spec).map((t) => tabletAlias(t.cell, t.uid));
  const ports = await getFreePorts(6 + aliases.length * 3);
  const next = (): number => ports.shift()!;
  const plan = {
    etcd: next(), etcdPeer: next(), vtctldGrpc: next(), vtctldHttp: next(), vtgateMysql: next(), vtgateGrpc: next(),
  };
  const tablets = new Map<string, TabletPorts>();
  for (const a of aliases) tablets.set(a, { grpc: next(), http: next(), mysql: next() });
  return { ...plan, tablets };
}

/** Every tablet of a spec, in start order per shard. */
export function allTablets(spec: ClusterSpec): { cell: string; uid: number }[] {
  return spec.keyspaces.flatMap((k) => k.shards.flatMap((s) => s.tablets));
}

/** Asks the OS for `n` distinct free TCP ports on 127.0.0.1 (holds them all open at once, then releases them). */
export async function getFreePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const srv = createServer();
      servers.push(srv);
      await new Promise<void>((res, rej) => {
        srv.once("error", rej);
        srv.listen(0, "127.0.0.1", () => res());
      });
      const addr = srv.address();
      if (addr === null || typeof addr === "string") throw new Error("no port assigned");
      ports.push(addr.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((res) => s.close(() => res()))));
  }
}

/** True if something accepts TCP connections on 127.0.0.1:port. */
export async function isPortOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((res) => {
    const sock = connect({ port, host });
    const done = (v: boolean): void => {
      sock.destroy();
      res(v);
    };
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
    sock.setTimeout(1000, () => done(false));
  });
}
