import { join } from "node:path";
import type { ProcessSpec } from "./managed-process.js";

/** Where and on which ports to run the cluster's etcd. */
export interface EtcdOptions {
  readonly dataDir: string;
  readonly logDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly etcdBinary?: string;
}

/**
 * The process spec for a single-member etcd on loopback; ready when `/health` reports healthy.
 * Its data directory is `<dataDir>/etcd`, so topo survives restarts.
 */
export function etcdProcessSpec(o: EtcdOptions): ProcessSpec {
  const client = `http://127.0.0.1:${o.clientPort}`;
  const peer = `http://127.0.0.1:${o.peerPort}`;
  return {
    name: "etcd",
    command: o.etcdBinary ?? "/usr/bin/etcd",
    args: [
      "--name", "vt", "--data-dir", join(o.dataDir, "etcd"),
      "--listen-client-urls", client, "--advertise-client-urls", client,
      "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
      "--initial-cluster", `vt=${peer}`, "--initial-cluster-state", "new",
      "--log-level", "warn", "--logger", "zap",
    ],
    logFile: join(o.logDir, "etcd.log"),
    ready: { kind: "probe", probe: () => etcdHealthy(client) },
  };
}

/** True when etcd at `url` answers `/health` with health true. */
export async function etcdHealthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: unknown };
    return body.health === "true" || body.health === true;
  } catch {
    return false;
  }
}
