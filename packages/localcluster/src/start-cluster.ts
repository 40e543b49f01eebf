import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { vtctldSpec, vtgateSpec, vttabletSpec } from "./app-processes.js";
import type { ClusterSpec, TabletTypeName } from "./cluster-spec.js";
import { tabletAlias } from "./cluster-spec.js";
import { readClusterState, writeClusterState, type ClusterState } from "./cluster-state.js";
import { etcdProcessSpec } from "./etcd-instance.js";
import { instanceDir, mariaDbProcessSpec, prepareMariaDb } from "./mariadb-instance.js";
import { isAlive, killProcess, startProcess, stopProcess, type ProcessRecord, type ProcessSpec } from "./managed-process.js";
import { instancePaths } from "./my-cnf.js";
import { autoPortPlan, fixedPortPlan, type PortPlan } from "./port-plan.js";
import { stopRecords } from "./stop-cluster.js";
import { ensureSelfSignedCert } from "./tls-cert.js";
import { splitSql, type VtctldApiFactory } from "./vtctld-api.js";

/** How to start a cluster. */
export interface StartClusterOptions {
  /** Data directory (default: the spec's). Topo and MariaDB data in it survive restarts. */
  readonly dataDir?: string;
  /** `undefined`: the spec's fixed ports; a number: fixed ports from that base; `'auto'`: OS-assigned ports. */
  readonly ports?: "auto" | number;
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

/** Thrown by startCluster when cluster.json names live processes. */
export class ClusterRunningError extends Error {
  override readonly name = "ClusterRunningError";
}

/**
 * Starts a cluster from `spec`: etcd → vtctld → cells/keyspaces/shards → MariaDB + vttablets (primaries
 * first) → RebuildKeyspaceGraph → (first time) ApplySchema + ApplyVSchema → vtgate, and waits until vtgate
 * answers `SELECT 1`. Processes are detached; their pids go to `<dataDir>/cluster.json` after each start so
 * `npm stop` can end a half-started cluster. On failure, everything started is stopped and the error rethrown.
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
  const ports = opts.ports === "auto" ? await autoPortPlan(spec)
    : opts.ports !== undefined ? fixedPortPlan(spec, opts.ports, true) : fixedPortPlan(spec);
  const logDir = join(dataDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const run = new ClusterRun(spec, dataDir, logDir, ports, opts, prev?.initializedKeyspaces ?? []);
  try {
    await run.boot();
  } catch (e) {
    await run.stopAll();
    throw e;
  }
  return run.handle();
}

class ClusterRun {
  private readonly records = new Map<string, ProcessRecord>();
  private readonly specs = new Map<string, ProcessSpec>();
  private readonly log: (line: string) => void;
  private readonly timeout: number;
  readonly tablets: ClusterTablet[];

  constructor(
    private readonly spec: ClusterSpec, private readonly dataDir: string, private readonly logDir: string,
    private readonly ports: PortPlan, private readonly opts: StartClusterOptions, private initialized: string[],
  ) {
    this.log = opts.log ?? (() => {});
    this.timeout = opts.readyTimeoutMs ?? 90_000;
    this.tablets = spec.keyspaces.flatMap((k) => k.shards.flatMap((s) => s.tablets.map((t) => {
      const alias = tabletAlias(t.cell, t.uid);
      const p = ports.tablets.get(alias)!;
      return {
        alias, keyspace: k.name, shard: s.name, type: t.type, grpcPort: p.grpc, mysqlPort: p.mysql,
        mysqlSocket: instancePaths(instanceDir(dataDir, t.uid)).socket,
      };
    })));
  }

  get ctldAddr(): string {
    return `127.0.0.1:${this.ports.vtctldGrpc}`;
  }

  async boot(): Promise<void> {
    const { ports, spec, logDir } = this;
    await this.start(etcdProcessSpec({ dataDir: this.dataDir, logDir, clientPort: ports.etcd, peerPort: ports.etcdPeer }));
    const cell = spec.cells[0]!;
    await this.start(vtctldSpec({ etcdPort: ports.etcd, cell, grpcPort: ports.vtctldGrpc, httpPort: ports.vtctldHttp, logDir }));
    const factory = this.opts.vtctld ?? (await import("./vtctld-grpc.js")).grpcVtctldApi;
    const api = await factory(this.ctldAddr);
    try {
      for (const c of spec.cells) await api.addCellInfo(c, `127.0.0.1:${ports.etcd}`, `/vitess/${c}`);
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
    await this.start(vtgateSpec({
      etcdPort: ports.etcd, cell, cells: spec.cells, mysqlPort: ports.vtgateMysql, grpcPort: ports.vtgateGrpc, logDir,
      tabletTypesToWait: tabletTypesToWait(spec), ...(tls ? { tls } : {}), ...(this.opts.vtgateArgs ? { extraArgs: this.opts.vtgateArgs } : {}),
    }));
    await this.waitForGate();
  }

  private async startTablets(): Promise<void> {
    const byType = (pred: (t: ClusterTablet) => boolean): ClusterTablet[] => this.tablets.filter(pred);
    await Promise.all(this.tablets.map(async (t) => {
      const o = this.mariaOpts(t);
      if (await prepareMariaDb(o)) this.log(`initialized MariaDB datadir for ${t.alias}`);
    }));
    await Promise.all(this.tablets.map((t) => this.start(mariaDbProcessSpec(this.mariaOpts(t)))));
    await Promise.all(byType((t) => t.type === "primary").map((t) => this.start(this.tabletSpec(t))));
    await Promise.all(byType((t) => t.type !== "primary").map((t) => this.start(this.tabletSpec(t))));
  }

  private mariaOpts(t: ClusterTablet): Parameters<typeof prepareMariaDb>[0] {
    const uid = Number(t.alias.split("-").pop());
    return { dir: instanceDir(this.dataDir, uid), logDir: this.logDir, name: `mariadbd-${t.alias}`, port: t.mysqlPort, serverId: uid };
  }

  private tabletSpec(t: ClusterTablet): ProcessSpec {
    const p = this.ports.tablets.get(t.alias)!;
    return vttabletSpec({
      etcdPort: this.ports.etcd, alias: t.alias, keyspace: t.keyspace, shard: t.shard, type: t.type,
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

  async start(ps: ProcessSpec): Promise<void> {
    this.log(`starting ${ps.name}`);
    this.specs.set(ps.name, ps);
    const rec = await startProcess(ps, this.timeout);
    this.records.set(ps.name, rec);
    this.save();
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

  handle(): LocalCluster {
    const { ports } = this;
    const record = (name: string): ProcessRecord => {
      const r = this.records.get(name);
      if (r === undefined) throw new Error(`no process named ${name}; have ${[...this.specs.keys()].join(", ")}`);
      return r;
    };
    return {
      dataDir: this.dataDir, gatePort: ports.vtgateMysql, gateGrpcAddr: `127.0.0.1:${ports.vtgateGrpc}`,
      ctldAddr: this.ctldAddr, etcdEndpoint: `127.0.0.1:${ports.etcd}`, ports, tablets: this.tablets,
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
