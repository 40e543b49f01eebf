import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ProcessSpec } from "./managed-process.js";
import type { TabletTypeName } from "./cluster-spec.js";

/** The monorepo root (this file is packages/localcluster/src/app-processes.ts). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Topo flags every app takes (docs/contracts.md). */
export function topoFlags(etcdPort: number): string[] {
  return [
    "--topo_implementation", "etcd2",
    "--topo_global_server_address", `127.0.0.1:${etcdPort}`,
    "--topo_global_root", "/vitess/global",
  ];
}

/**
 * Node options an app always runs with (the deploy manifests pass the same). vtgate allocates per row and per query:
 * a 32 MB young generation (Node 20's default is 16) halves its scavenges and cut its CPU per oltp_read_only query by
 * about a fifth in `npm run bench`.
 */
export const APP_NODE_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  vtgate: ["--max-semi-space-size=32"],
};

/** A `node --import tsx apps/<app>/src/main.ts ...` process, ready at its `READY <app>` line. */
export function appProcessSpec(app: string, name: string, flags: readonly string[], logDir: string): ProcessSpec {
  return {
    name,
    command: process.execPath,
    // VT_NODE_ARGS: extra node options for the apps (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for the bench).
    args: [...(APP_NODE_OPTIONS[app] ?? []), ...(process.env["VT_NODE_ARGS"] ?? "").split(" ").filter(Boolean), "--import", "tsx",
      join(REPO_ROOT, "apps", app, "src", "main.ts"), ...flags],
    cwd: REPO_ROOT,
    logFile: join(logDir, `${name}.log`),
    ready: { kind: "line", pattern: new RegExp(`^READY ${app}\\b`, "m") },
  };
}

/** vtctld's process spec. */
export function vtctldSpec(o: { etcdPort: number; cell: string; grpcPort: number; httpPort: number; logDir: string }): ProcessSpec {
  return appProcessSpec("vtctld", "vtctld", [
    ...topoFlags(o.etcdPort), "--cell", o.cell, "--grpc_port", String(o.grpcPort), "--port", String(o.httpPort),
  ], o.logDir);
}

/** One vttablet's inputs. */
export interface VttabletOptions {
  readonly etcdPort: number;
  readonly alias: string;
  readonly keyspace: string;
  readonly shard: string;
  readonly type: TabletTypeName;
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly mysqlPort: number;
  /**
   * The MariaDB's unix socket: the tablet's pools connect through it, as Vitess's vttablet does with its db socket
   * (less kernel work per query than loopback TCP, on both ends). mysqlPort stays what topo advertises.
   */
  readonly mysqlSocket?: string;
  readonly logDir: string;
  /** Extra flags appended after these. */
  readonly extraArgs?: readonly string[];
}

/** A vttablet's process spec, named `vttablet-<alias>`. */
export function vttabletSpec(o: VttabletOptions): ProcessSpec {
  return appProcessSpec("vttablet", `vttablet-${o.alias}`, [
    ...topoFlags(o.etcdPort),
    "--tablet-path", o.alias,
    "--init_keyspace", o.keyspace,
    "--init_shard", o.shard,
    "--init_tablet_type", o.type,
    "--grpc_port", String(o.grpcPort),
    "--port", String(o.httpPort),
    "--mysql_host", "127.0.0.1",
    "--mysql_port", String(o.mysqlPort),
    ...(o.mysqlSocket !== undefined ? ["--mysql_socket", o.mysqlSocket] : []),
    "--db_user", "root",
    "--db_password", "",
    "--repl_user", "repl",
    "--repl_password", "replpw",
    ...(o.extraArgs ?? []),
  ], o.logDir);
}

/** vtgate's process spec (no auth, user `user` for the local example). */
export function vtgateSpec(o: {
  etcdPort: number; cell: string; cells: readonly string[]; mysqlPort: number; grpcPort: number; logDir: string;
  tabletTypesToWait?: string;
  /** TLS pair for the MySQL listener (clients may then use `--ssl`). */
  tls?: { readonly cert: string; readonly key: string };
  /** Extra flags appended after these. */
  extraArgs?: readonly string[];
}): ProcessSpec {
  return appProcessSpec("vtgate", "vtgate", [
    ...topoFlags(o.etcdPort),
    "--cell", o.cell,
    "--cells_to_watch", o.cells.join(","),
    "--mysql_server_port", String(o.mysqlPort),
    "--mysql_server_bind_address", "127.0.0.1",
    "--mysql_auth_server_impl", "none",
    "--grpc_port", String(o.grpcPort),
    "--tablet_types_to_wait", o.tabletTypesToWait ?? "PRIMARY,REPLICA",
    ...(o.tls ? ["--mysql_server_ssl_cert", o.tls.cert, "--mysql_server_ssl_key", o.tls.key] : []),
    ...(o.extraArgs ?? []),
  ], o.logDir);
}
