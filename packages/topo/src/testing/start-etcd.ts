import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

/** A running test etcd. */
export interface TestEtcd {
  /** `127.0.0.1:<port>` of the client listener (pass as topo server address / etcd3 host). */
  readonly endpoint: string;
  /** Stops etcd (SIGTERM) and removes its data dir. Idempotent. */
  stop(): Promise<void>;
  /** Stops etcd and starts it again on the same ports with the same data (revisions survive). */
  restart(): Promise<void>;
  /** Stops etcd without removing data (for tests of an unreachable topo); `start()` brings it back. */
  kill(): Promise<void>;
  /** Starts etcd again after `kill()`. */
  start(): Promise<void>;
}

/** Options for {@link startEtcd}. */
export interface StartEtcdOptions {
  /** etcd binary; default `/usr/bin/etcd`. */
  readonly binary?: string;
  /** Milliseconds to wait for readiness; default 20000. */
  readonly readyTimeoutMs?: number;
}

/**
 * Starts a real single-node etcd on OS-assigned free loopback ports in a fresh temp dir, and waits until it
 * serves (`/health`). Always call `stop()` (e.g. in afterAll); it leaves no process or files behind.
 */
export async function startEtcd(opts: StartEtcdOptions = {}): Promise<TestEtcd> {
  const binary = opts.binary ?? "/usr/bin/etcd";
  const readyTimeoutMs = opts.readyTimeoutMs ?? 20000;
  const dir = await mkdtemp(join(tmpdir(), "vt-etcd-"));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  let proc: ChildProcess | null = null;
  let stopped = false;

  const launch = async (): Promise<void> => {
    const args = [
      "--name", "vt-test", "--data-dir", join(dir, "data"),
      "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
      "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
      "--initial-cluster", `vt-test=${peerUrl}`, "--initial-cluster-state", "new",
      "--log-level", "error", "--logger", "zap",
    ];
    const p = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    p.stderr?.on("data", (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
    proc = p;
    await waitHealthy(clientUrl, p, readyTimeoutMs, () => stderr);
  };

  const halt = async (): Promise<void> => {
    const p = proc;
    proc = null;
    if (p === null || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => p.kill("SIGKILL"), 5000);
      p.once("exit", () => { clearTimeout(t); resolve(); });
      p.kill("SIGTERM");
    });
  };

  await launch();
  return {
    endpoint: `127.0.0.1:${clientPort}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await halt();
      await launch();
    },
    kill: halt,
    start: launch,
  };
}

async function waitHealthy(url: string, p: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.exitCode !== null) throw new Error(`etcd exited with ${p.exitCode}: ${log()}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok && ((await res.json()) as { health?: string }).health === "true") return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  p.kill("SIGKILL");
  throw new Error(`etcd did not become healthy within ${timeoutMs} ms: ${log()}`);
}
