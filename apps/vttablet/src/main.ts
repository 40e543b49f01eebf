// vttablet: serves the QueryService (and a slice of TabletManager) for one already running MariaDB.
// The only composition root: reads flags, builds topo, the MariaDB connection factories (lean client, mariadb-conn.ts) and the tablet, and handles SIGTERM.
import { parseFlags, flagUsage } from "@vt/flags";
import { openTopoServer, parseTabletAlias } from "@vt/topo";
import { vttabletFlags } from "./flags.js";
import { mariaDbConnFactory } from "./mariadb-conn.js";
import { parseTabletType } from "./tablet-type.js";
import { addTabletManager } from "./tablet-manager.js";
import { startVttablet, type TabletConnFactories } from "./vttablet.js";

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    process.stdout.write(flagUsage(vttabletFlags) + "\n");
    return;
  }
  const f = parseFlags(vttabletFlags, process.argv.slice(2));
  if (f["tablet-path"] === "" || f.init_keyspace === "" || f.init_shard === "") {
    throw new Error("--tablet-path, --init_keyspace and --init_shard are required");
  }
  const alias = parseTabletAlias(f["tablet-path"]);
  const topo = openTopoServer({
    implementation: f.topo_implementation as "etcd2" | "memory", globalServerAddress: f.topo_global_server_address,
    globalRoot: f.topo_global_root,
  });
  const where = f.mysql_socket !== "" ? { socketPath: f.mysql_socket } : { host: f.mysql_host, port: f.mysql_port };
  const conns: TabletConnFactories = {
    dba: mariaDbConnFactory({ ...where, user: f.db_user, password: f.db_password }),
    app: (o) => mariaDbConnFactory({ ...where, user: o.user, password: o.password, foundRows: o.foundRows === true })({ database: o.database }),
  };
  const dbName = f.init_db_name_override || f.init_keyspace;
  const tablet = await startVttablet({
    tablet: { alias: { cell: alias.cell, uid: alias.uid }, hostname: f.tablet_hostname, grpcPort: f.grpc_port,
      keyspace: f.init_keyspace, shard: f.init_shard, tabletType: parseTabletType(f.init_tablet_type),
      mysqlHostname: f.mysql_host, mysqlPort: f.mysql_port, dbNameOverride: f.init_db_name_override },
    grpcHost: f.grpc_bind_address, grpcPort: f.grpc_port, dbName, replUser: f.repl_user, replPassword: f.repl_password,
    globalServerAddress: f.topo_global_server_address, poolSize: f["queryserver-config-pool-size"],
    pipelineDepth: f["queryserver-config-pipeline-depth"],
    streamPoolSize: f["queryserver-config-stream-pool-size"], txCap: f["queryserver-config-transaction-cap"],
    dbaPoolSize: f.dba_pool_size, txPoolTimeoutMs: f["queryserver-config-txpool-timeout"] * 1000,
    txTimeoutMs: f["queryserver-config-transaction-timeout"] * 1000,
    maxResultSize: f["queryserver-config-max-result-size"], streamBufferSize: f["queryserver-config-stream-buffer-size"],
    healthCheckIntervalMs: f.health_check_interval * 1000,
    schemaChangeSignal: f["queryserver-config-schema-change-signal"],
    schemaReloadIntervalMs: f["queryserver-config-schema-reload-time"] * 1000,
    queryTimeoutMs: f["queryserver-config-query-timeout"] * 1000, appUser: f.db_app_user, appPassword: f.db_app_password,
    twopcAbandonAgeMs: f.twopc_abandon_age * 1000,
  }, topo, conns, (server, ctx) => addTabletManager(server, ctx));
  tablet.replicationReady.catch((e: unknown) => process.stderr.write(`vttablet: replication setup failed: ${String(e)}\n`));
  process.stdout.write(`READY vttablet ${f.grpc_bind_address}:${tablet.grpcPort}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write("vttablet: SIGTERM, shutting down\n");
    tablet.stop().then(() => topo.close()).then(() => process.exit(0), () => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`vttablet: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
