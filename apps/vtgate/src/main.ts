// vtgate's composition root: reads flags, opens topo, builds the serving view (SrvTopo), the tablet gateway, the
// executor and the MySQL protocol server, and wires them. Nothing else in the app creates long-lived objects.
import { readFileSync } from "node:fs";
import { parseFlags } from "@vt/flags";
import { AuthServerNone, AuthServerStatic, MysqlServer, type AuthServer } from "@vt/mysql-protocol";
import { GrpcQueryService } from "@vt/tablet-client";
import { openTopoServer } from "@vt/topo";
import { buildVSchema, defaultVindexRegistry } from "@vt/vindexes";
import { Executor } from "./executor.js";
import { parseDuration } from "./duration.js";
import { VtgateHandler } from "./mysql-handler.js";
import { SessionRegistry } from "./session-registry.js";
import { SplitQueryService } from "./split-query-service.js";
import { SrvKeyspaceResolver, TABLET_TYPE_NUMBER } from "./resolver.js";
import { SchemaTracker } from "./schema-tracker.js";
import { SrvTopo } from "./srv-topo.js";
import { TabletGateway } from "./tablet-gateway.js";
import { vtgateFlags } from "./vtgate-flags.js";

const log = (msg: string): void => { process.stderr.write(`${new Date().toISOString()} vtgate: ${msg}\n`); };

async function main(): Promise<void> {
  const f = parseFlags(vtgateFlags, process.argv.slice(2));
  const ts = openTopoServer({ implementation: f.topo_implementation as "etcd2" | "memory", globalServerAddress: f.topo_global_server_address, globalRoot: f.topo_global_root });
  const registry = defaultVindexRegistry();
  const tracker = f.schema_change_signal ? new SchemaTracker(log) : undefined;
  const srv = new SrvTopo({ ts, cell: f.cell, log,
    buildVSchema: (json) => buildVSchema(tracker ? tracker.merge(json) : json, registry) });
  tracker?.onChange(() => srv.rebuild());
  const cells = (f.cells_to_watch || f.cell).split(",").map((c) => c.trim()).filter(Boolean);
  const gateway = new TabletGateway({
    ts, cells, log,
    ...(tracker ? { onHealth: (th, h) => tracker.handleHealth({ ...th, tableSchemaChanged: h.realtimeStats?.tableSchemaChanged ?? [] }) } : {}),
    connect: (addr, mux) => new SplitQueryService(new GrpcQueryService(addr, mux ? { muxAddress: mux } : {}),
      new GrpcQueryService(addr, { multiplex: false })),
  });
  await gateway.start();
  await srv.ready(f.wait_timeout_ms);
  const waitTypes = f.tablet_types_to_wait.split(",").map((t) => TABLET_TYPE_NUMBER[t.trim().toUpperCase()]).filter((n): n is number => n !== undefined);
  await gateway.waitForTablets(waitTypes, f.wait_timeout_ms);

  const sessions = new SessionRegistry();
  const queryTimeoutMs = f.query_timeout > 0 ? f.query_timeout : parseDuration(f.mysql_server_query_timeout);
  const executor = new Executor({
    srv, gateway, resolver: new SrvKeyspaceResolver(srv), planCacheSize: f.gate_query_cache_size, queryTimeoutMs,
    maxMemoryRows: f.max_memory_rows, noScatter: f.no_scatter,
    streamScatter: f.stream_scatter_selects, sessions, transactionMode: transactionMode(f.transaction_mode),
    twopcTestHooks: process.env["VTGATE_TWOPC_TEST_HOOKS"] === "1",
  });
  const server = new MysqlServer({
    handler: new VtgateHandler(executor, log, sessions),
    authServer: authServer(f),
    serverVersion: f.mysql_server_version,
    ...(f.mysql_server_ssl_cert ? { tls: {
      cert: readFileSync(f.mysql_server_ssl_cert), key: readFileSync(f.mysql_server_ssl_key),
      ...(f.mysql_server_ssl_ca ? { ca: readFileSync(f.mysql_server_ssl_ca) } : {}),
      minVersion: f.mysql_server_ssl_min_version === "TLSv1.3" ? "TLSv1.3" as const : "TLSv1.2" as const,
    } } : {}),
    requireSecureTransport: f.mysql_server_require_secure_transport,
    maxConnections: f.max_connections > 0 ? f.max_connections : f.mysql_server_max_connections,
    idleTimeoutMs: parseDuration(f.mysql_server_read_timeout),
    connectTimeoutMs: parseDuration(f.mysql_server_connect_timeout),
    maxPacketSize: f.max_allowed_packet,
    onError: (e) => log(`internal error: ${(e as Error)?.stack ?? String(e)}`),
  });
  const addr = f.mysql_server_port >= 0 ? await server.listen(f.mysql_server_port, f.mysql_server_bind_address) : undefined;
  if (f.mysql_server_socket_path) await server.listenUnix(f.mysql_server_socket_path);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log("shutting down");
    await server.close();
    gateway.close();
    srv.close();
    await ts.close().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  process.stdout.write(`READY vtgate ${addr ? `${addr.address}:${addr.port}` : f.mysql_server_socket_path}\n`);
}

function transactionMode(text: string): "SINGLE" | "MULTI" | "TWOPC" {
  const m = text.toUpperCase();
  if (m === "SINGLE" || m === "MULTI" || m === "TWOPC") return m;
  throw new Error(`--transaction_mode: invalid value ${text} (SINGLE, MULTI or TWOPC)`);
}

function authServer(f: { mysql_auth_server_impl: string; mysql_auth_server_static_file: string; mysql_auth_server_static_string: string }): AuthServer {
  if (f.mysql_auth_server_impl === "none") return new AuthServerNone();
  if (f.mysql_auth_server_static_file) return AuthServerStatic.fromFile(f.mysql_auth_server_static_file);
  if (f.mysql_auth_server_static_string) return AuthServerStatic.fromJson(f.mysql_auth_server_static_string);
  log("static auth without a users file: accepting every user (use --mysql_auth_server_impl none to say so)");
  return new AuthServerNone();
}

main().catch((e: unknown) => {
  log(`fatal: ${(e as Error)?.stack ?? String(e)}`);
  process.exit(1);
});
