import type { ClusterSpec } from "./cluster-spec.js";
import { tabletAlias } from "./cluster-spec.js";
import { pickFreePorts, type PortSource } from "./port-picker.js";

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

/** Picks ports the way `ports: 'auto'` does: pickFreePorts (outside the ephemeral range, bind-checked). */
export const defaultPortSource: PortSource = (n, avoid) => pickFreePorts(n, { avoid });

/** Ports for a spec from `source` (all distinct, free at the time of the call). */
export async function autoPortPlan(spec: ClusterSpec, source: PortSource = defaultPortSource): Promise<PortPlan> {
  const aliases = allTablets(spec).map((t) => tabletAlias(t.cell, t.uid));
  const ports = await source(6 + aliases.length * 3, new Set());
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

/** `n` distinct free TCP ports on 127.0.0.1, outside the ephemeral range when possible (see pickFreePorts). */
export async function getFreePorts(n: number): Promise<number[]> {
  return pickFreePorts(n);
}

/** Names one port of a plan: a top-level field, or a tablet's port as `<alias>/grpc|http|mysql`. */
export type PortSlot = Exclude<keyof PortPlan, "tablets"> | `${string}/${keyof TabletPorts}`;

/** The port in `slot` of `plan`. */
export function portAt(plan: PortPlan, slot: PortSlot): number {
  const i = slot.lastIndexOf("/");
  if (i < 0) return plan[slot as Exclude<keyof PortPlan, "tablets">];
  const t = plan.tablets.get(slot.slice(0, i));
  if (t === undefined) throw new Error(`no tablet ${slot.slice(0, i)} in the port plan`);
  return t[slot.slice(i + 1) as keyof TabletPorts];
}

/** A copy of `plan` with the ports in `changes` replaced. */
export function withPorts(plan: PortPlan, changes: Iterable<readonly [PortSlot, number]>): PortPlan {
  const top: Record<string, number> = {};
  const tablets = new Map(plan.tablets);
  for (const [slot, port] of changes) {
    const i = slot.lastIndexOf("/");
    if (i < 0) {
      top[slot] = port;
      continue;
    }
    const alias = slot.slice(0, i);
    const t = tablets.get(alias);
    if (t === undefined) throw new Error(`no tablet ${alias} in the port plan`);
    tablets.set(alias, { ...t, [slot.slice(i + 1)]: port });
  }
  return { ...plan, ...top, tablets };
}

/** Every port of a plan. */
export function planPorts(plan: PortPlan): number[] {
  return [plan.etcd, plan.etcdPeer, plan.vtctldGrpc, plan.vtctldHttp, plan.vtgateMysql, plan.vtgateGrpc,
    ...[...plan.tablets.values()].flatMap((t) => [t.grpc, t.http, t.mysql])];
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
