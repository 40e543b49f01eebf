// `npm run bench`: sysbench through vtgate (2-shard cluster started by the launcher, primaries only, auto ports, temp
// dir) and directly against one plain MariaDB with the same my.cnf, alternating, with CPU-µs per query per process
// group from /proc/<pid>/stat; plus planner and codec microbenchmarks. Results go to .bench/ and stdout.
// Options (env or flags): see bench-options.ts. Quick run: defaults (5 s per run) take about 2 minutes.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createConnection } from "mysql2/promise";
import { REPO_ROOT } from "./app-processes.js";
import { codecMicro, plannerMicro, sbtestVSchema } from "./bench-micro.js";
import { parseBenchOptions, type BenchOptions } from "./bench-options.js";
import { CpuMeter, IdleMeter, rssKb } from "./bench-cpu.js";
import { formatMicro, formatRepeats, formatTable, type BenchRow } from "./bench-report.js";
import { runSysbench, sysbenchArgs, type SysbenchTarget } from "./bench-sysbench.js";
import { parseClusterSpec } from "./cluster-spec.js";
import { readClusterState } from "./cluster-state.js";
import { instanceDir, mariaDbProcessSpec, prepareMariaDb } from "./mariadb-instance.js";
import { startProcess, stopProcess, type ProcessRecord } from "./managed-process.js";
import { formatPerfSummary, parsePerfScript, summarizePerf } from "./perf-summary.js";
import { getFreePorts } from "./port-plan.js";
import { startCluster, type LocalCluster } from "./start-cluster.js";

const execFileP = promisify(execFile);
const KEYSPACE = "sbtest";
const log = (s: string): void => { process.stderr.write(`${new Date().toISOString().slice(11, 19)} bench: ${s}\n`); };

/** The bench cluster: keyspace sbtest, shards -80 and 80-, one primary each. */
function benchSpec(dir: string, tables: number): ReturnType<typeof parseClusterSpec> {
  const vschemaFile = join(dir, "vschema.json");
  writeFileSync(vschemaFile, JSON.stringify(sbtestVSchema(tables)));
  return parseClusterSpec(JSON.stringify({
    cells: ["zone1"], dataDir: join(dir, "cluster"),
    keyspaces: [{ name: KEYSPACE, sharded: true, shards: ["-80", "80-"], tablets: ["primary"], vschema: vschemaFile }],
  }), { format: "json", specDir: dir, cwd: dir });
}

async function startDirectMariaDb(dir: string): Promise<{ rec: ProcessRecord; port: number }> {
  const [port] = await getFreePorts(1);
  const o = { dir: instanceDir(dir, 999), logDir: join(dir, "logs"), name: "mariadbd-direct", port: port!, serverId: 999 };
  await prepareMariaDb(o);
  const rec = await startProcess(mariaDbProcessSpec(o), 90_000);
  const c = await createConnection({ host: "127.0.0.1", port: port!, user: "root" });
  await c.query(`CREATE DATABASE IF NOT EXISTS ${KEYSPACE}`);
  await c.end();
  return { rec, port: port! };
}

/** `perf record` of the whole machine for most of a run (it starts 1 s in and stops 1 s before the end). */
function recordPerf(file: string, runSeconds: number): Promise<string | undefined> {
  const secs = Math.max(1, Math.min(8, runSeconds - 2));
  return new Promise((res) => setTimeout(() => {
    execFileP("perf", ["record", "-e", "cpu-clock", "-F", "999", "-a", "-g", "-o", file, "--", "sleep", String(secs)], { timeout: 60_000 })
      .then(() => res(undefined), (e: unknown) => res(`perf record failed: ${(e as Error).message.split("\n")[0]}`));
  }, 1000));
}

/** Reads a perf recording back and summarises it per process group (vtgate, vttablet, mariadbd, sysbench, idle). */
async function perfReport(run: Promise<string | undefined>, file: string, title: string, groups: ReadonlyMap<string, readonly number[]>): Promise<string> {
  const err = await run;
  if (err !== undefined) return `${title}: ${err}`;
  try {
    const { stdout } = await execFileP("perf", ["script", "-i", file, "-F", "comm,pid,tid,ip,sym"], { maxBuffer: 1 << 30 });
    const byPid = new Map<number, string>();
    for (const [g, pids] of groups) for (const pid of pids) byPid.set(pid, g);
    return formatPerfSummary(`${title} (share of both CPUs; kinds as share of the process):`,
      summarizePerf(parsePerfScript(stdout), (pid) => byPid.get(pid)));
  } catch (e) {
    return `${title}: perf script failed: ${(e as Error).message.split("\n")[0]}`;
  }
}

async function prepare(t: SysbenchTarget, o: BenchOptions): Promise<void> {
  try {
    await execFileP("sysbench", ["oltp_common", ...sysbenchArgs(t, o), "prepare"], { timeout: 600_000, maxBuffer: 16 << 20 });
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`sysbench prepare on port ${t.port} failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  }
}

function pidGroups(cluster: LocalCluster, direct: ProcessRecord): { gate: Map<string, number[]>; direct: Map<string, number[]> } {
  const st = readClusterState(cluster.dataDir);
  const procs = st?.processes ?? [];
  const pids = (pred: (n: string) => boolean): number[] => procs.filter((p) => pred(p.name)).map((p) => p.pid);
  return {
    gate: new Map([
      ["vtgate", pids((n) => n === "vtgate")],
      ["vttablet", pids((n) => n.startsWith("vttablet-"))],
      ["mariadbd", pids((n) => n.startsWith("mariadbd-"))],
    ]),
    direct: new Map([["mariadbd", [direct.pid]]]),
  };
}

/** One sysbench run against one path (after its warmup), with CPU per query per process group and idle time. */
async function measure(
  test: string, threads: number, path: "vtgate" | "direct", target: SysbenchTarget, groups: ReadonlyMap<string, readonly number[]>,
  perfFile: string | undefined, failures: string[], o: BenchOptions,
): Promise<{ row: BenchRow; perfRun?: Promise<string | undefined> }> {
  if (o.warmup > 0) await runSysbench(test, target, { ...o, threads, time: o.warmup }).catch(() => undefined);
  const meter = new CpuMeter(groups);
  const idle = new IdleMeter();
  const perfRun = perfFile !== undefined ? recordPerf(perfFile, o.time) : undefined;
  let r;
  try {
    r = await runSysbench(test, target, { ...o, threads, time: o.time });
  } catch (e) {
    log(String((e as Error).message).split("\n").filter((l) => /FATAL|failed/.test(l)).slice(0, 3).join("\n"));
    failures.push(`${test} ${threads} ${path}: ${(e as Error).message.split("\n").find((l) => l.startsWith("FATAL")) ?? "failed"}`);
    r = { qps: NaN, tps: NaN, p95ms: NaN, errors: -1, queries: 0 };
  }
  const cpu = meter.delta();
  const idlePct = idle.percent();
  const per: Record<string, number> = {};
  for (const [k, v] of cpu) per[k] = r.queries > 0 ? v / r.queries : NaN;
  log(`${test} ${threads} thr ${path}: ${r.qps.toFixed(0)} qps, p95 ${r.p95ms} ms, err ${r.errors}`);
  return { row: { test, threads, path, qps: r.qps, p95ms: r.p95ms, errors: r.errors, cpuPerQuery: per, idlePct }, ...(perfRun ? { perfRun } : {}) };
}

async function main(): Promise<void> {
  const o = parseBenchOptions(process.argv.slice(2), process.env, REPO_ROOT);
  mkdirSync(o.outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const report: string[] = [`# bench ${stamp}`, `options: ${JSON.stringify({ ...o, outDir: undefined })}`, ""];
  const rows: BenchRow[] = [];
  const failures: string[] = [];
  const perfReports: string[] = [];

  if (!o.microOnly) {
    const dir = mkdtempSync(join(tmpdir(), "vt-bench-"));
    if (o.nodeArgs) process.env["VT_NODE_ARGS"] = o.nodeArgs;
    let cluster: LocalCluster | undefined;
    let direct: ProcessRecord | undefined;
    // Ctrl-C or a kill mid-run: stop what was started (the `finally` below does not run on a signal).
    const onSignal = (sig: NodeJS.Signals): void => {
      log(`${sig}: stopping`);
      void Promise.allSettled([cluster?.stop(), direct ? stopProcess(direct) : undefined])
        .finally(() => process.exit(130));
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      log(`starting cluster and direct MariaDB in ${dir}`);
      const [cs, ds] = await Promise.allSettled([
        startCluster(benchSpec(dir, o.tables), { ports: "auto", log, vttabletArgs: o.tabletFlags }),
        startDirectMariaDb(dir),
      ]);
      // Keep whatever started so `finally` stops it even when the other half failed.
      if (cs.status === "fulfilled") cluster = cs.value;
      if (ds.status === "fulfilled") direct = ds.value.rec;
      if (cs.status === "rejected") throw cs.reason;
      if (ds.status === "rejected") throw ds.reason;
      const c = cs.value;
      const d = ds.value;
      const gate: SysbenchTarget = { host: "127.0.0.1", port: c.gatePort, user: "user", db: KEYSPACE };
      const plain: SysbenchTarget = { host: "127.0.0.1", port: d.port, user: "root", db: KEYSPACE };
      log(`preparing ${o.tables} table(s) of ${o.tableSize} rows through vtgate and directly`);
      await Promise.all([prepare(gate, o), prepare(plain, o)]);
      const groups = pidGroups(c, d.rec);
      const rss0 = [...groups.gate.get("vtgate")!, ...groups.gate.get("vttablet")!].map(rssKb);
      let flip = false;
      for (const test of o.tests) {
        for (const threads of o.threads) {
          for (let rep = 0; rep < o.repeat; rep++) {
            const order = flip ? [...o.paths].reverse() : o.paths;
            flip = !flip;
            const got = new Map<string, Awaited<ReturnType<typeof measure>>>();
            for (const path of order) {
              const target = path === "vtgate" ? gate : plain;
              const perfFile = o.perf && path === "vtgate" ? join(dir, `perf-${test}-${threads}-${rep}.data`) : undefined;
              const row = await measure(test, threads, path, target, path === "vtgate" ? groups.gate : groups.direct, perfFile, failures, o);
              got.set(path, row);
              if (perfFile) perfReports.push(await perfReport(row.perfRun!, perfFile, `perf, ${test} ${threads} thr through vtgate`, groups.gate));
            }
            const g = got.get("vtgate");
            const dr = got.get("direct");
            if (g) rows.push(dr ? { ...g.row, ratio: g.row.qps / dr.row.qps } : g.row);
            if (dr) rows.push(dr.row);
          }
        }
      }
      const rss1 = [...groups.gate.get("vtgate")!, ...groups.gate.get("vttablet")!].map(rssKb);
      const repeats = formatRepeats(rows);
      report.push(formatTable(rows), "", ...(repeats.length > 0 ? [...repeats, ""] : []), ...perfReports.flatMap((t) => [t, ""]), ...failures.map((f) => `FAILED ${f}`), `RSS kB (vtgate, vttablets) before: ${rss0.join(", ")}  after: ${rss1.join(", ")}`, "");
    } finally {
      log("stopping");
      await cluster?.stop().catch((e: unknown) => log(`stop cluster: ${String(e)}`));
      if (direct) await stopProcess(direct);
      if (o.keep) log(`kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!o.noMicro) {
    report.push(formatMicro("planner (main-thread CPU-µs per statement):", plannerMicro()), "");
    report.push(formatMicro("codec (µs per operation):", codecMicro()), "");
  }
  const text = report.join("\n");
  const file = join(o.outDir, `bench-${stamp}.txt`);
  writeFileSync(file, text + "\n");
  writeFileSync(join(o.outDir, `bench-${stamp}.json`), JSON.stringify({ options: o, rows }, null, 2));
  process.stdout.write(`${text}\nwritten to ${file}\n`);
}

main().catch((e: unknown) => {
  log(`failed: ${(e as Error)?.stack ?? String(e)}`);
  process.exitCode = 1;
});
