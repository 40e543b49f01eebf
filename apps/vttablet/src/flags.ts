import type { FlagSpec } from "@vt/flags";

const s = (def: string, help: string) => ({ type: "string", default: def, help }) as const;
const n = (def: number, help: string) => ({ type: "number", default: def, help }) as const;

/** vttablet's flags (Vitess names and defaults). */
export const vttabletFlags = {
  topo_implementation: s("etcd2", "topo backend: etcd2 | memory"),
  topo_global_server_address: s("127.0.0.1:2379", "etcd endpoints of the global topo"),
  topo_global_root: s("/vitess/global", "root path of the global topo"),
  "tablet-path": s("", "tablet alias, e.g. zone1-0000000100"),
  init_keyspace: s("", "keyspace this tablet serves"),
  init_shard: s("", "shard this tablet serves, e.g. -80"),
  init_tablet_type: s("replica", "primary | replica | rdonly"),
  init_db_name_override: s("", "MariaDB database name (default: the keyspace name)"),
  grpc_port: n(0, "gRPC port (0 = OS-assigned)"),
  grpc_bind_address: s("127.0.0.1", "address the gRPC server binds to"),
  tablet_hostname: s("127.0.0.1", "hostname published in the tablet record"),
  port: n(0, "HTTP port (accepted for compatibility; not served)"),
  mysql_host: s("127.0.0.1", "MariaDB host"),
  mysql_port: n(3306, "MariaDB port"),
  mysql_socket: s("", "MariaDB unix socket (overrides host/port for connecting)"),
  db_user: s("root", "MariaDB admin user (dba pool, init, TabletManager)"),
  db_password: s("", "MariaDB password"),
  db_app_user: s("vt_app", "MariaDB user of the query/stream/transaction pools (created by the tablet, no SUPER)"),
  db_app_password: s("", "password of db_app_user"),
  repl_user: s("repl", "replication user"),
  repl_password: s("replpw", "replication password"),
  "queryserver-config-pool-size": n(16, "query pool size"),
  "queryserver-config-pipeline-depth": n(16,
    "autocommit queries arriving in one event-loop turn that may share a query-pool connection, pipelined " +
    "(one write and one MariaDB wake-up for all); templates averaging 20 ms or more are never pipelined; " +
    "1 = one query per connection at a time"),
  "queryserver-config-stream-pool-size": n(200, "stream pool size"),
  "queryserver-config-transaction-cap": n(20, "transaction pool size"),
  dba_pool_size: n(20, "DBA pool size"),
  "queryserver-config-txpool-timeout": n(1, "seconds to wait for a transaction connection"),
  "queryserver-config-transaction-timeout": n(30, "seconds before an open transaction is killed"),
  "queryserver-config-max-result-size": n(10000, "max rows in a non-streaming result"),
  "queryserver-config-stream-buffer-size": n(32768, "bytes of rows per streamed chunk"),
  "queryserver-config-query-timeout": n(30, "seconds before a query is killed (KILL QUERY) and fails with 3024; 0 = none"),
  "queryserver-config-schema-change-signal": { type: "boolean", default: true, help: "report changed tables in StreamHealth (realtime_stats.table_schema_changed) for vtgate's schema tracking" },
  "queryserver-config-schema-reload-time": n(1800, "seconds between periodic schema reloads (changes are also noticed after DDL, ApplySchema and ReloadSchema); 0 = none"),
  health_check_interval: n(20, "seconds between periodic health reports"),
  twopc_abandon_age: n(Number(process.env["VT_TWOPC_ABANDON_AGE"] ?? 900),
    "seconds after which an unfinished distributed transaction is resolved by its metadata manager " +
    "(default from env VT_TWOPC_ABANDON_AGE, else 900)"),
} as const satisfies Record<string, FlagSpec>;
