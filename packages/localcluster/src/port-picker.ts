import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";

/** An inclusive range of TCP ports. */
export interface PortRange {
  readonly low: number;
  readonly high: number;
}

/**
 * Where auto ports come from: `n` distinct ports, none of them in `avoid`, each free when it was picked. A port picked
 * now may still be taken before the process that gets it binds it; the launcher retries on fresh ports then.
 */
export type PortSource = (n: number, avoid: ReadonlySet<number>) => Promise<number[]>;

/** Linux's default `net.ipv4.ip_local_port_range`. */
const DEFAULT_EPHEMERAL: PortRange = { low: 32768, high: 60999 };
/** Auto ports stay at or above this: below it live the local example's fixed ports (2379, 15000-17300) and common services. */
const AUTO_PORT_FLOOR = 20000;
/** A range outside the ephemeral one smaller than this is not worth using: random picks would collide too often. */
const MIN_RANGE_SIZE = 1000;

/** Parses `ip_local_port_range` text (`32768\t60999`); undefined when it is not two ordered ports. */
export function parsePortRange(text: string): PortRange | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const low = Number(m[1]);
  const high = Number(m[2]);
  return low >= 1 && low <= high && high <= 65535 ? { low, high } : undefined;
}

/** The kernel's ephemeral port range (the ports `connect()` and `listen(0)` take), or Linux's default when unreadable. */
export function ephemeralPortRange(file = "/proc/sys/net/ipv4/ip_local_port_range"): PortRange {
  try {
    return parsePortRange(readFileSync(file, "utf8")) ?? DEFAULT_EPHEMERAL;
  } catch {
    return DEFAULT_EPHEMERAL;
  }
}

/**
 * Ranges to pick auto ports from: outside the ephemeral range, so an outgoing connection can never take a port
 * between the pick and the bind. Below it (from 20000) when that holds at least 1000 ports, else above it, else none
 * (then pickFreePorts falls back to ports the OS assigns).
 */
export function autoPortRanges(ephemeral: PortRange): PortRange[] {
  const below = { low: AUTO_PORT_FLOOR, high: ephemeral.low - 1 };
  const above = { low: Math.max(ephemeral.high + 1, AUTO_PORT_FLOOR), high: 65535 };
  const size = (r: PortRange): number => r.high - r.low + 1;
  if (size(below) >= MIN_RANGE_SIZE) return [below];
  if (size(above) >= MIN_RANGE_SIZE) return [above];
  return [];
}

/** True when `host:port` can be bound right now (the probe socket is closed again before this resolves). */
export async function canBind(port: number, host = "127.0.0.1"): Promise<boolean> {
  const srv = createServer();
  const ok = await new Promise<boolean>((res) => {
    srv.once("error", () => res(false));
    srv.listen({ port, host, exclusive: true }, () => res(true));
  });
  if (ok) await new Promise<void>((res) => srv.close(() => res()));
  return ok;
}

/** How pickFreePorts picks. */
export interface PickPortsOptions {
  /** Ranges to pick from (default: autoPortRanges of the kernel's ephemeral range). */
  readonly ranges?: readonly PortRange[];
  /** Ports not to hand out (e.g. ports a cluster already uses). */
  readonly avoid?: ReadonlySet<number>;
  /** Uniform in [0, 1) (default Math.random); tests pass a fixed sequence. */
  readonly random?: () => number;
  readonly host?: string;
}

/**
 * `n` distinct ports picked at random from `ranges`, each checked free by binding it. Random picks keep two launchers
 * running at once (parallel test files) mostly apart; the bind check skips ports in use. When the ranges are empty or
 * exhausted, the rest come from the OS (ephemeral ports).
 */
export async function pickFreePorts(n: number, o: PickPortsOptions = {}): Promise<number[]> {
  const ranges = o.ranges ?? autoPortRanges(ephemeralPortRange());
  const random = o.random ?? Math.random;
  const size = ranges.reduce((s, r) => s + r.high - r.low + 1, 0);
  const tried = new Set<number>(o.avoid);
  const picked: number[] = [];
  for (let misses = 0; picked.length < n && size > 0 && misses < 50 + 20 * n;) {
    const p = portAtIndex(ranges, Math.floor(random() * size));
    if (!tried.has(p)) {
      tried.add(p);
      if (await canBind(p, o.host)) {
        picked.push(p);
        continue;
      }
    }
    misses++;
  }
  if (picked.length < n) picked.push(...await osFreePorts(n - picked.length, tried, o.host));
  return picked;
}

function portAtIndex(ranges: readonly PortRange[], i: number): number {
  for (const r of ranges) {
    const size = r.high - r.low + 1;
    if (i < size) return r.low + i;
    i -= size;
  }
  return ranges[ranges.length - 1]!.high;
}

/** `n` distinct ports the OS assigns (not in `avoid`); all are held open at once, then released. */
export async function osFreePorts(n: number, avoid: ReadonlySet<number> = new Set(), host = "127.0.0.1"): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    while (ports.length < n) {
      const srv = createServer();
      servers.push(srv);
      await new Promise<void>((res, rej) => {
        srv.once("error", rej);
        srv.listen(0, host, () => res());
      });
      const addr = srv.address();
      if (addr === null || typeof addr === "string") throw new Error("no port assigned");
      if (!avoid.has(addr.port)) ports.push(addr.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((res) => s.close(() => res()))));
  }
}
