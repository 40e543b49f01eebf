import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { vtctldSpec, vtgateSpec, vttabletSpec } from "./app-processes.js";
import type { ClusterSpec, TabletTypeName } from "./cluster-spec.js";
import { tabletAlias } from "./cluster-spec.js";
import { readClusterState, writeClusterState, type ClusterState } from "./cluster-state.js";
import { etcdProcessSpec } from "./etcd-instance.js";
import { instanceDir, mariaDbProcessSpec, prepareMariaDb } from "./mariadb-instance.js";
import {
  isAlive, killProcess, ProcessStartError, startProcess, stopProcess, type ProcessRecord, type ProcessSpec,
} from "./managed-process.js";
import { instancePaths } from "./my-cnf.js";
import { isAddrInUse, PortInUseError, portsNamedIn, takenPorts } from "./port-in-use-error.js";
import type { PortSource } from "./port-picker.js";
import {
  autoPortPlan, defaultPortSource, fixedPortPlan, planPorts, portAt, withPorts, type PortPlan, type PortSlot,
} from "./port-plan.js";
import { stopRecords } from "./stop-cluster.js";
import { ensureSelfSignedCert } from "./tls-cert.js";
import { splitSql, type VtctldApiFactory } from "./vtctld-api.js";

/** How to start a cluster. */
export interface StartClusterOptions {
  /** Data directory (default: the spec's). Topo and MariaDB data in it survive restarts. */
  readonly dataDir?: string;
  /**
   * `undefined`: the spec's fixed ports; a number: fixed ports from that base; `'auto'`: free ports picked outside the
   * kernel's ephemeral range. With fixed ports a taken port fails the start (PortInUseError naming it); with auto
   * ports the process gets fresh ports and another try (up to AUTO_PORT_ATTEMPTS).
   */
  readonly ports?: "auto" | number;
  /** Where auto ports come from (default: pickFreePorts); tests inject one that hands out a taken port. */
  readonly portSource?: PortSource;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** Per-process readiness timeout (default 90 s; tsx startup of an app takes a few seconds on a busy box). */
  readonly readyTimeoutMs?: number;
  /** Start vtgate (default true); tests of the lower layers can leave it out. */
  readonly vtgate?: boolean;
  /** Extra vtgate flags (e.g. `["--no_scatter"]`), appended after the launcher's own. */
  readonly vtgateArgs?: readonly string[];
  /** Extra vttablet flags for every tablet, appended after the launcher's own. */
  readonly vttabletArgs?: readonly string[];
  /** How to talk to vtctld (default: the gRPC client in vtctld-grpc.ts). */
  readonly vtctld?: VtctldApiFactory;
}

/** One tablet of a running cluster. */
export interface ClusterTablet {
  readonly alias: string;
  readonly keyspace: string;
  readonly shard: string;
  readonly type: TabletTypeName;
  readonly grpcPort: number;
  readonly mysqlPort: number;
  readonly mysqlSocket: string;
}

/** A running cluster. Process names: etcd, vtctld, vtgate, vttablet-<alias>, mariadbd-<alias>. */
export interface LocalCluster {
  readonly dataDir: string;
  readonly gatePort: number;
  readonly gateGrpcAddr: string;
  readonly ctldAddr: string;
  readonly etcdEndpoint: string;
  readonly ports: PortPlan;
  readonly tablets: readonly ClusterTablet[];
  /** Names of the processes currently managed. */
  processNames(): string[];
  /** Stops every process (vtgate, vttablets, mariadbds, vtctld, etcd); leaves no process or port behind. */
  stop(): Promise<void>;
  /** SIGKILLs one process (a crash), keeping its spec so restartProcess can bring it back. */
  killProcess(name: string): Promise<void>;
  /** Stops (if running) and starts one process again with the same flags, waiting until it is ready. */
  restartProcess(name: string): Promise<void>;
}

/** How often one process is tried on fresh ports when its auto port turns out to be taken. */
export const AUTO_PORT_ATTEMPTS = 4;

/** Thrown by startCluster when cluster.json names live processes. */
export class ClusterRunningError extends Error {
  override readonly name = "ClusterRunningError";
}

/**
 * Starts a cluster from `spec`: etcd → vtctld → cells/keyspaces/shards → MariaDB + vttablets (primaries
 * first) → RebuildKeyspaceGraph → (first time) ApplySchema + ApplyVSchema → vtgate, and waits until vtgate
 * answers `SELECT 1`. Processes are detached; their pids go to `<dataDir>/cluster.json` after each start so
 * `npm stop` can end a half-started cluster. On failure, starts still under way are awaited, then everything started
 * is stopped (in the cluster's stop order) and the error rethrown: no process is left behind.
 * Throws ClusterRunningError if the data dir's cluster is already running (a partly running one is restarted).
 */
export async function startCluster(spec: ClusterSpec, opts: StartClusterOptions = {}): Promise<LocalCluster> {
  const dataDir = opts.dataDir ?? spec.dataDir;
  const prev = readClusterState(dataDir);
  const alive = prev?.processes.filter(isAlive) ?? [];
  if (prev !== undefined && alive.length > 0 && alive.length === prev.processes.length) {
    throw new ClusterRunningError(`a cluster is already running from ${dataDir} (vtgate on 127.0.0.1:${prev.endpoints.vtgateMysqlPort})`);
  }
  if (alive.length > 0) {
    // A half-dead cluster (a process crashed): stop the rest and start everything again on the same data.
    opts.log?.(`restarting a partly running cluster (${alive.length} of ${prev!.processes.length} processes alive)`);
    await stopRecords(alive, opts.log);
  }
  const ports = opts.ports === "auto" ? await autoPortPlan(spec, opts.portSource ?? defaultPortSource)
    : opts.ports !== undefined ? fixedPortPlan(spec, opts.ports, true) : fixedPortPlan(spec);
  const logDir = join(dataDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const run = new ClusterRun(spec, dataDir, logDir, ports, opts, prev?.initializedKeyspaces ?? []);
  try {
    await run.boot();
  } catch (e) {
    try {
      await run.abort();
    } catch (stopErr) {
      opts.log?.(`stopping the half-started cluster failed: ${String(stopErr)}`);
    }
    throw e;
  }
  return run.handle();
}

class ClusterRun {
  private readonly records = new Map<string, ProcessRecord>();
  private readonly specs = new Map<string, ProcessSpec>();
  /** Starts under way (spawned, not yet ready or failed); abort waits for them before stopping. */
  private readonly starting = new Set<Promise<unknown>>();
  /** Set by abort: no further process is spawned. */
  private aborted = false;
  /** Ports found taken during this start: never handed out again. */
  private readonly discarded = new Set<number>();
  /** Serializes re-picks so two tablets retrying at once cannot get the same fresh port. */
  private repicking: Promise<unknown> = Promise.resolve();
  private readonly log: (line: string) => void;
  private readonly timeout: number;

  constructor(
    private readonly spec: ClusterSpec, private readonly dataDir: string, private readonly logDir: string,
    private ports: PortPlan, private readonly opts: StartClusterOptions, private initialized: string[],
  ) {
    this.log = opts.log ?? (() => {});
    this.timeout = opts.readyTimeoutMs ?? 90_000;
  }

  /** The tablets with their current ports (a retry on fresh ports changes them). */
  get tablets(): ClusterTablet[] {
    return this.spec.keyspaces.flatMap((k) => k.shards.flatMap((s) => s.tablets.map((t) => {
      const alias = tabletAlias(t.cell, t.uid);
      const p = this.ports.tablets.get(alias)!;
      return {
        alias, keyspace: k.name, shard: s.name, type: t.type, grpcPort: p.grpc, mysqlPort: p.mysql,
        mysqlSocket: instancePaths(instanceDir(this.dataDir, t.uid)).socket,
      };
    })));
  }

  get ctldAddr(): string {
    return `127.0.0.1:${this.ports.vtctldGrpc}`;
  }

  async boot(): Promise<void> {
    const { spec, logDir } = this;
    await this.startOn(["etcd", "etcdPeer"], () => etcdProcessSpec({
      dataDir: this.dataDir, logDir, clientPort: this.ports.etcd, peerPort: this.ports.etcdPeer,
    }));
    const cell = spec.cells[0]!;
    await this.startOn(["vtctldGrpc"], () => vtctldSpec({
      etcdPort: this.ports.etcd, cell, grpcPort: this.ports.vtctldGrpc, httpPort: this.ports.vtctldHttp, logDir,
    }));
    const factory = this.opts.vtctld ?? (await import("./vtctld-grpc.js")).grpcVtctldApi;
    const api = await factory(this.ctldAddr);
    try {
      for (const c of spec.cells) await api.addCellInfo(c, `127.0.0.1:${this.ports.etcd}`, `/vitess/${c}`);
      for (const k of spec.keyspaces) {
        await api.createKeyspace(k.name);
        for (const s of k.shards) await api.createShard(k.name, s.name);
      }
      await this.startTablets();
      for (const k of spec.keyspaces) await api.rebuildKeyspaceGraph(k.name, spec.cells);
      for (const k of spec.keyspaces) await this.initKeyspace(api, k.name);
    } finally {
      api.close();
    }
    if (this.opts.vtgate === false) return;
    const tls = ensureSelfSignedCert(join(this.dataDir, "tls"));
    await this.startOn(["vtgateMysql", "vtgateGrpc"], () => vtgateSpec({
      etcdPort: this.ports.etcd, cell, cells: spec.cells, mysqlPort: this.ports.vtgateMysql, grpcPort: this.ports.vtgateGrpc,
      logDir, tabletTypesToWait: tabletTypesToWait(spec), ...(tls ? { tls } : {}),
      ...(this.opts.vtgateArgs ? { extraArgs: this.opts.vtgateArgs } : {}),
    }));
    await this.waitForGate();
  }

  /**
   * MariaDBs, then primary vttablets, then the others; each group in parallel. A group fails only after every start
   * in it has settled, so no process is still being spawned when the failure reaches startCluster.
   */
  private async startTablets(): Promise<void> {
    const tablets = this.tablets;
    await settleAll(tablets.map(async (t) => {
      if (await prepareMariaDb(this.mariaOpts(t.alias))) this.log(`initialized MariaDB datadir for ${t.alias}`);
    }));
    await settleAll(tablets.map((t) => this.startOn([`${t.alias}/mysql`], async () => {
      const o = this.mariaOpts(t.alias);
      await prepareMariaDb(o); // rewrites my.cnf: a retry changes the port
      return mariaDbProcessSpec(o);
    })));
    const byType = (primary: boolean): Promise<void>[] => tablets.filter((t) => (t.type === "primary") === primary)
      .map((t) => this.startOn([`${t.alias}/grpc`], () => this.tabletSpec(t.alias)));
    await settleAll(byType(true));
    await settleAll(byType(false));
  }

  private tablet(alias: string): ClusterTablet {
    return this.tablets.find((t) => t.alias === alias)!;
  }

  private mariaOpts(alias: string): Parameters<typeof prepareMariaDb>[0] {
    const uid = Number(alias.split("-").pop());
    return { dir: instanceDir(this.dataDir, uid), logDir: this.logDir, name: `mariadbd-${alias}`, port: this.tablet(alias).mysqlPort, serverId: uid };
  }

  /** The vttablet's spec on the current ports; it registers itself in topo with them once it listens. */
  private tabletSpec(alias: string): ProcessSpec {
    const t = this.tablet(alias);
    const p = this.ports.tablets.get(alias)!;
    return vttabletSpec({
      etcdPort: this.ports.etcd, alias, keyspace: t.keyspace, shard: t.shard, type: t.type,
      grpcPort: p.grpc, httpPort: p.http, mysqlPort: p.mysql, mysqlSocket: t.mysqlSocket, logDir: this.logDir,
      ...(this.opts.vttabletArgs ? { extraArgs: this.opts.vttabletArgs } : {}),
    });
  }

  private async initKeyspace(api: Awaited<ReturnType<VtctldApiFactory>>, name: string): Promise<void> {
    if (this.initialized.includes(name)) return;
    const ks = this.spec.keyspaces.find((k) => k.name === name)!;
    if (ks.schemaFile !== undefined) {
      this.log(`ApplySchema ${name} (${ks.schemaFile})`);
      try {
        await api.applySchema(name, splitSql(readFileSync(ks.schemaFile, "utf8")));
      } catch (e) {
        // A start interrupted after ApplySchema leaves the tables behind; a rerun must not fail on them.
        if (!/errno 1050|already exists/i.test(String((e as Error).message))) throw e;
        this.log(`schema of ${name} already applied (${(e as Error).message.split("\n")[1] ?? ""})`);
      }
    }
    if (ks.vschemaFile !== undefined) {
      this.log(`ApplyVSchema ${name} (${ks.vschemaFile})`);
      await api.applyVSchema(name, readFileSync(ks.vschemaFile, "utf8"));
    } else if (!(await api.hasVSchema(name))) {
      await api.applyVSchema(name, JSON.stringify({ sharded: ks.sharded }));
    }
    this.initialized = [...this.initialized, name];
    this.save();
  }

  private async waitForGate(): Promise<void> {
    const deadline = Date.now() + this.timeout;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const c = await createConnection({ host: "127.0.0.1", port: this.ports.vtgateMysql, user: "user", connectTimeout: 2000 });
        try {
          await c.query("SELECT 1");
          return;
        } finally {
          await c.end().catch(() => {});
        }
      } catch (e) {
        last = e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`vtgate does not answer SELECT 1 on port ${this.ports.vtgateMysql}: ${String(last)}`);
  }

  /**
   * Starts the process `build` describes on the plan's ports in `slots` (the ports it listens on). A port found taken
   * before the spawn, or a start that fails with EADDRINUSE (or leaves one of its ports held by someone else), is a
   * port conflict: with fixed ports it throws PortInUseError; with auto ports the slots get fresh ports (build sees
   * them: it runs again) and the process another try, up to AUTO_PORT_ATTEMPTS. A vttablet listens before it
   * registers in topo, so a failed try left no record; the successful one registers its final ports.
   */
  private async startOn(slots: readonly PortSlot[], build: () => ProcessSpec | Promise<ProcessSpec>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const ps = await build();
      const ports = slots.map((s) => portAt(this.ports, s));
      let taken = await takenPorts(ports);
      let cause: Error | undefined;
      if (taken.length === 0) {
        try {
          await this.start(ps, ports);
          return;
        } catch (e) {
          if (!(e instanceof ProcessStartError)) throw e;
          taken = await takenPorts(ports);
          if (taken.length === 0) {
            if (!isAddrInUse(e.message)) throw e;
            const named = portsNamedIn(e.message, ports);
            taken = named.length > 0 ? named : ports;
          }
          cause = e;
        }
      }
      const which = `port${taken.length > 1 ? "s" : ""} ${taken.join(", ")}`;
      if (this.opts.ports !== "auto") {
        throw new PortInUseError(ps.name, taken, `${ps.name} cannot listen: ${which} already in use by another process` +
          ` (stop it, or start the cluster on other ports)${cause ? `\n${cause.message}` : ""}`, cause ? { cause } : undefined);
      }
      if (attempt >= AUTO_PORT_ATTEMPTS) {
        throw new PortInUseError(ps.name, taken, `${ps.name} cannot listen: ${which} in use, after ${attempt} tries on` +
          ` fresh ports${cause ? `\n${cause.message}` : ""}`, cause ? { cause } : undefined);
      }
      this.log(`${ps.name}: ${which} taken by another process; trying again on fresh ports`);
      for (const p of taken) this.discarded.add(p);
      await this.repick(slots);
    }
  }

  /** New ports for `slots` from the port source, none of them in use by this cluster or found taken before. */
  private repick(slots: readonly PortSlot[]): Promise<void> {
    const next = this.repicking.then(async () => {
      const avoid = new Set([...planPorts(this.ports), ...this.discarded]);
      const fresh = await (this.opts.portSource ?? defaultPortSource)(slots.length, avoid);
      this.ports = withPorts(this.ports, slots.map((s, i) => [s, fresh[i]!] as const));
      this.save();
    });
    this.repicking = next.catch(() => {});
    return next;
  }

  /** Spawns `ps` and waits until it is ready; counted in `starting` meanwhile. Refused once the start is aborted. */
  async start(ps: ProcessSpec, ports: readonly number[] = []): Promise<void> {
    if (this.aborted) throw new Error(`cluster start aborted; not starting ${ps.name}`);
    this.log(`starting ${ps.name}${ports.length > 0 ? ` (port ${ports.join(", ")})` : ""}`);
    this.specs.set(ps.name, ps);
    const op = startProcess(ps, this.timeout).then((rec) => {
      this.records.set(ps.name, rec);
      this.save();
    });
    this.starting.add(op);
    try {
      await op;
    } finally {
      this.starting.delete(op);
    }
  }

  save(): void {
    const state: ClusterState = {
      dataDir: this.dataDir,
      processes: [...this.records.values()],
      endpoints: {
        etcd: `127.0.0.1:${this.ports.etcd}`, vtctld: this.ctldAddr,
        vtgateMysqlPort: this.ports.vtgateMysql, vtgateGrpc: `127.0.0.1:${this.ports.vtgateGrpc}`,
      },
      initializedKeyspaces: this.initialized,
    };
    writeClusterState(state);
  }

  async stopAll(): Promise<void> {
    await stopRecords([...this.records.values()], this.log);
    this.records.clear();
    this.save();
  }

  /** After a failed boot: spawn nothing more, let starts under way finish (or fail), then stop everything. */
  async abort(): Promise<void> {
    this.aborted = true;
    while (this.starting.size > 0) await Promise.allSettled([...this.starting]);
    await this.stopAll();
  }

  handle(): LocalCluster {
    const { ports } = this;
    const tablets = this.tablets;
    const record = (name: string): ProcessRecord => {
      const r = this.records.get(name);
      if (r === undefined) throw new Error(`no process named ${name}; have ${[...this.specs.keys()].join(", ")}`);
      return r;
    };
    return {
      dataDir: this.dataDir, gatePort: ports.vtgateMysql, gateGrpcAddr: `127.0.0.1:${ports.vtgateGrpc}`,
      ctldAddr: this.ctldAddr, etcdEndpoint: `127.0.0.1:${ports.etcd}`, ports, tablets,
      processNames: () => [...this.records.keys()],
      stop: () => this.stopAll(),
      killProcess: async (name) => killProcess(record(name)),
      restartProcess: async (name) => {
        const ps = this.specs.get(name);
        if (ps === undefined) throw new Error(`no process named ${name}`);
        const r = this.records.get(name);
        if (r !== undefined) await stopProcess(r);
        await this.start(ps);
      },
    };
  }
}

/**
 * The `--tablet_types_to_wait` for the spec: PRIMARY, plus REPLICA when every shard has one. Waiting for a type some
 * shard lacks would hold vtgate's start for its whole wait timeout (30 s).
 */
export function tabletTypesToWait(spec: ClusterSpec): string {
  const shards = spec.keyspaces.flatMap((k) => k.shards);
  const replicas = shards.length > 0 && shards.every((s) => s.tablets.some((t) => t.type === "replica"));
  return replicas ? "PRIMARY,REPLICA" : "PRIMARY";
}

/** Awaits every promise, then throws the first rejection (unlike Promise.all, which throws while others still run). */
async function settleAll(ps: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(ps);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
