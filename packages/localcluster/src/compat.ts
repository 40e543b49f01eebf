// The compat runner behind `npm run compat` (scripts/compat.sh): starts a throw-away cluster (keyspace commerce
// over 2 or 4 shards, primaries only, auto ports, temp data dir) with ../shared/compat/schema.sql applied through
// vtctld ApplySchema and vschema.json through ApplyVSchema, starts a plain MariaDB oracle with the same my.cnf as
// the tablets, runs ../shared/compat/run.mjs against both, prints its output and stops everything.
//   node --import tsx packages/localcluster/src/compat.ts [--shards 2|4] [--keep] [--strip-lookup] [run.mjs args...]
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "./app-processes.js";
import { parseClusterSpec } from "./cluster-spec.js";
import { mariaDbProcessSpec, prepareMariaDb } from "./mariadb-instance.js";
import { startProcess, stopProcess } from "./managed-process.js";
import { getFreePorts } from "./port-plan.js";
import { startCluster } from "./start-cluster.js";

/** Shard names for a compat cluster of `n` shards (2 or 4; other powers of two split the keyspace evenly). */
export function compatShards(n: number): string[] {
  if (n === 1) return ["-"];
  const step = 256 / n;
  if (!Number.isInteger(step)) throw new Error(`--shards must be a power of two up to 256, got ${n}`);
  const hex = (v: number): string => v.toString(16).padStart(2, "0");
  return Array.from({ length: n }, (_, i) => `${i === 0 ? "" : hex(i * step)}-${i === n - 1 ? "" : hex((i + 1) * step)}`);
}

/** The VSchema JSON without owned (lookup) vindexes and the column vindexes that use them. */
export function stripLookupVindexes(vschemaJson: string): string {
  const vs = JSON.parse(vschemaJson) as {
    vindexes?: Record<string, { owner?: string }>;
    tables?: Record<string, { column_vindexes?: { name: string }[] }>;
  };
  const owned = new Set(Object.entries(vs.vindexes ?? {}).filter(([, v]) => v.owner !== undefined).map(([k]) => k));
  for (const k of owned) delete vs.vindexes![k];
  for (const t of Object.values(vs.tables ?? {})) {
    if (t.column_vindexes !== undefined) t.column_vindexes = t.column_vindexes.filter((cv) => !owned.has(cv.name));
  }
  return JSON.stringify(vs, null, 2);
}

/** Parsed command line of the compat runner. */
export interface CompatArgs {
  readonly shards: number;
  readonly keep: boolean;
  /** Drop owned lookup vindexes from the VSchema (lets the read-only categories run before lookup DML works). */
  readonly stripLookup: boolean;
  /**
   * Load data.sql straight into each shard's MariaDB (rows filtered by their primary vindex) instead of through
   * the gate with run.mjs --load-target, so reads can be checked before the gate's DML is complete.
   */
  readonly directLoad: boolean;
  readonly compatDir: string;
  /** Passed through to run.mjs (`--only`, `--ids`, `--verbose`, `--check-types`, ...). */
  readonly runArgs: string[];
}

/** Parses `[--shards N] [--keep] [--compat-dir DIR] [run.mjs args...]`. */
export function parseCompatArgs(argv: readonly string[]): CompatArgs {
  let shards = 2;
  let keep = false;
  let stripLookup = false;
  let directLoad = false;
  let compatDir = resolve(REPO_ROOT, "../shared/compat");
  const runArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--shards") shards = Number(argv[++i]);
    else if (a.startsWith("--shards=")) shards = Number(a.slice(9));
    else if (a === "--keep") keep = true;
    else if (a === "--strip-lookup") stripLookup = true;
    else if (a === "--direct-load") directLoad = true;
    else if (a === "--compat-dir") compatDir = resolve(argv[++i] ?? ".");
    else runArgs.push(a);
  }
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`bad --shards ${shards}`);
  return { shards, keep, stripLookup, directLoad, compatDir, runArgs };
}

/** The parts of a VSchema JSON that direct loading reads. */
interface CompatVSchema {
  vindexes?: Record<string, { type: string }>;
  tables?: Record<string, { type?: string; column_vindexes?: { column?: string; columns?: string[]; name: string }[] }>;
}

/**
 * Loads `dataSql` whole into every shard, then deletes from each sharded table the rows whose primary vindex
 * (hash or xxhash) maps outside the shard. Shards are the even split of compatShards(nShards).
 */
async function loadShardsDirectly(
  dataSql: string, vschema: CompatVSchema, primaries: { shard: string; socket: string }[], nShards: number,
): Promise<void> {
  const { createConnection } = await import("mysql2/promise");
  const { HashVindex, XxhashVindex } = await import("@vt/vindexes");
  const { Type } = await import("@vt/sqltypes");
  const hashers = { hash: new HashVindex("hash", {}), xxhash: new XxhashVindex("xxhash", {}) };
  const shards = compatShards(nShards);
  const enc = new TextEncoder();
  await Promise.all(primaries.map(async (p) => {
    const idx = shards.indexOf(p.shard);
    const c = await createConnection({ socketPath: p.socket, user: "root", database: "commerce", multipleStatements: true });
    try {
      await c.query(dataSql);
      for (const [table, t] of Object.entries(vschema.tables ?? {})) {
        const cv = t.column_vindexes?.[0];
        if (t.type === "reference" || cv === undefined) continue;
        const col = cv.column ?? cv.columns![0]!;
        const vtype = vschema.vindexes?.[cv.name]?.type as keyof typeof hashers;
        const h = hashers[vtype];
        const [rows] = await c.query(`SELECT DISTINCT CAST(\`${col}\` AS CHAR) AS v FROM \`${table}\``) as unknown as [{ v: unknown }[]];
        if (rows.length === 0) continue;
        if (h === undefined) throw new Error(`direct load: vindex type ${vtype} of ${table} not supported`);
        const drop = rows.map((r) => String(r.v)).filter((v) => {
          const ksid = h.hash({ type: Type.INT64, raw: enc.encode(v) });
          return Math.floor(ksid[0]! * nShards / 256) !== idx;
        });
        for (let i = 0; i < drop.length; i += 500) {
          await c.query(`DELETE FROM \`${table}\` WHERE \`${col}\` IN (${drop.slice(i, i + 500).join(",")})`);
        }
      }
    } finally {
      await c.end();
    }
  }));
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, args, { stdio: "inherit", env });
    child.once("error", rej);
    child.once("exit", (code, sig) => res(code ?? (sig !== null ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const args = parseCompatArgs(process.argv.slice(2));
  const runMjs = join(args.compatDir, "run.mjs");
  if (!existsSync(runMjs)) throw new Error(`no compat corpus at ${args.compatDir}`);
  const dataDir = mkdtempSync(join(tmpdir(), "vt-compat-"));
  const log = (l: string): void => console.error(`  ${l}`);
  let vschemaFile = join(args.compatDir, "vschema.json");
  if (args.stripLookup) {
    const stripped = join(dataDir, "vschema.stripped.json");
    writeFileSync(stripped, stripLookupVindexes(readFileSync(vschemaFile, "utf8")));
    vschemaFile = stripped;
  }
  const spec = parseClusterSpec(JSON.stringify({
    cells: ["zone1"], dataDir,
    keyspaces: [{
      name: "commerce", sharded: true, shards: compatShards(args.shards), tablets: ["primary"],
      schema: join(args.compatDir, "schema.sql"), vschema: vschemaFile,
    }],
  }), { format: "json" });
  const t0 = Date.now();
  console.error(`compat: starting cluster with ${args.shards} shards in ${dataDir}`);
  const oracleDir = join(dataDir, "oracle");
  const [oraclePort] = await getFreePorts(1);
  const oracleOpts = { dir: oracleDir, logDir: join(dataDir, "logs"), name: "mariadbd-oracle", port: oraclePort!, serverId: 9999 };
  const [clusterR, oracleR] = await Promise.allSettled([
    startCluster(spec, { dataDir, ports: "auto", log }),
    prepareMariaDb(oracleOpts).then(() => startProcess(mariaDbProcessSpec(oracleOpts), 90_000)),
  ]);
  if (clusterR.status === "rejected" || oracleR.status === "rejected") {
    if (clusterR.status === "fulfilled") await clusterR.value.stop();
    if (oracleR.status === "fulfilled") await stopProcess(oracleR.value);
    rmSync(dataDir, { recursive: true, force: true });
    throw clusterR.status === "rejected" ? clusterR.reason : (oracleR as PromiseRejectedResult).reason;
  }
  const cluster = clusterR.value;
  const oracle = oracleR.value;
  let code = 1;
  try {
    console.error(`compat: cluster up in ${((Date.now() - t0) / 1000).toFixed(1)}s; gate 127.0.0.1:${cluster.gatePort}, oracle 127.0.0.1:${oraclePort}`);
    const env = { ...process.env, COMPAT_NODE_MODULES: process.env["COMPAT_NODE_MODULES"] ?? join(REPO_ROOT, "packages/localcluster") };
    if (args.directLoad) {
      const vschema = JSON.parse(readFileSync(vschemaFile, "utf8")) as CompatVSchema;
      await loadShardsDirectly(readFileSync(join(args.compatDir, "data.sql"), "utf8"), vschema, cluster.tablets
        .filter((t) => t.type === "primary").map((t) => ({ shard: t.shard, socket: t.mysqlSocket })), args.shards);
      console.error("compat: data.sql loaded directly into the shards");
    }
    code = await runNode([
      runMjs, "--oracle", `mysql://root@127.0.0.1:${oraclePort}/commerce_oracle`,
      "--target", `mysql://user@127.0.0.1:${cluster.gatePort}/commerce`,
      ...(args.directLoad ? [] : ["--load-target"]), ...args.runArgs,
    ], env);
  } finally {
    if (args.keep) {
      console.error(`compat: --keep: cluster left running in ${dataDir} (npm stop -- --data-dir ${dataDir}); oracle pid ${oracle.pid}`);
    } else {
      await cluster.stop();
      await stopProcess(oracle);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return code;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().then((c) => process.exit(c), (e: unknown) => {
    console.error(`compat: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exit(2);
  });
}
