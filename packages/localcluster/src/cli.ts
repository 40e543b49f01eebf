// The launcher CLI behind `npm start` / `npm stop` / `npm run clean` (see README.md).
//   start [--spec FILE] [--data-dir DIR]   start the cluster (default spec: examples/local.json)
//   stop  [--data-dir DIR]                 stop every process of the cluster
//   clean [--data-dir DIR]                 stop, then remove the data dir
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadClusterSpec } from "./cluster-spec.js";
import { ClusterRunningError, startCluster } from "./start-cluster.js";
import { stopCluster } from "./stop-cluster.js";

const DEFAULT_SPEC = fileURLToPath(new URL("../examples/local.json", import.meta.url));

function parseArgs(argv: string[]): { cmd: string; spec: string; dataDir?: string } {
  const [cmd = "help", ...rest] = argv;
  let spec = DEFAULT_SPEC;
  let dataDir: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const [name, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    if (name === "--spec") spec = resolve(process.env["INIT_CWD"] ?? process.cwd(), value());
    else if (name === "--data-dir" || name === "--data_dir") dataDir = resolve(value());
    else throw new Error(`unknown argument ${a}`);
  }
  return { cmd, spec, ...(dataDir !== undefined ? { dataDir } : {}) };
}

async function main(): Promise<number> {
  const { cmd, spec: specFile, dataDir: dd } = parseArgs(process.argv.slice(2));
  const log = (l: string): void => console.log(`  ${l}`);
  const spec = loadClusterSpec(specFile);
  const dataDir = dd ?? spec.dataDir;
  if (cmd === "start") {
    const t0 = Date.now();
    console.log(`Starting local cluster from ${specFile} (data in ${dataDir})`);
    try {
      const c = await startCluster(spec, { dataDir, log });
      printEndpoints(c.gatePort, c.ctldAddr, c.etcdEndpoint, c.tablets, spec.keyspaces[0]?.name ?? "", Date.now() - t0);
    } catch (e) {
      if (e instanceof ClusterRunningError) {
        console.log(`${e.message}; nothing to do (npm stop stops it).`);
        return 0;
      }
      throw e;
    }
    return 0;
  }
  if (cmd === "stop" || cmd === "clean") {
    const n = await stopCluster(dataDir, log);
    console.log(n > 0 ? `Stopped ${n} processes.` : "No cluster running.");
    if (cmd === "clean") {
      rmSync(dataDir, { recursive: true, force: true });
      console.log(`Removed ${dataDir}.`);
    }
    return 0;
  }
  console.log("usage: cli.ts start [--spec FILE] [--data-dir DIR] | stop | clean");
  return cmd === "help" ? 0 : 2;
}

function printEndpoints(
  gatePort: number, ctld: string, etcd: string, tablets: readonly { alias: string; keyspace: string; shard: string; type: string; grpcPort: number; mysqlPort: number }[],
  keyspace: string, ms: number,
): void {
  console.log(`\nCluster is up (${(ms / 1000).toFixed(1)} s).`);
  console.log(`  vtgate (MySQL)  127.0.0.1:${gatePort}`);
  console.log(`  vtctld (gRPC)   ${ctld}`);
  console.log(`  etcd (topo)     ${etcd}  roots /vitess/global, /vitess/<cell>`);
  for (const t of tablets) {
    console.log(`  tablet ${t.alias} ${t.keyspace}/${t.shard} ${t.type.padEnd(7)} grpc 127.0.0.1:${t.grpcPort}  mysqld 127.0.0.1:${t.mysqlPort}`);
  }
  console.log("\nConnect:");
  console.log(`  mariadb -h127.0.0.1 -P${gatePort} -uuser ${keyspace}`);
  console.log(`  npx vtctldclient --server ${ctld} GetTablets`);
  console.log(`  ETCDCTL_API=3 etcdctl --endpoints=${etcd} get --prefix /vitess --keys-only`);
  console.log("Stop with `npm stop`; `npm run clean` also removes the data.");
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  console.error("Logs are in the data dir's logs/ directory; `npm stop` stops whatever was started.");
  process.exit(1);
});
