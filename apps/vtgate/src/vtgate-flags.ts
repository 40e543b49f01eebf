import type { FlagSpec } from "@vt/flags";

/** vtgate's flags (Vitess names; dashes and underscores are interchangeable). */
export const vtgateFlags = {
  topo_implementation: { type: "string", default: "etcd2", help: "topo backend: etcd2 or memory" },
  topo_global_server_address: { type: "string", default: "127.0.0.1:2379", help: "global topo server address" },
  topo_global_root: { type: "string", default: "/vitess/global", help: "global topo root path" },
  cell: { type: "string", default: "zone1", help: "this vtgate's cell" },
  cells_to_watch: { type: "string", default: "", help: "comma-separated cells whose tablets this vtgate routes to (default: --cell)" },
  tablet_types_to_wait: { type: "string", default: "PRIMARY", help: "tablet types to wait for before serving" },
  mysql_server_port: { type: "number", default: 15306, help: "MySQL protocol port (-1 disables)" },
  mysql_server_bind_address: { type: "string", default: "127.0.0.1", help: "MySQL protocol bind address" },
  mysql_server_socket_path: { type: "string", default: "", help: "unix socket to listen on as well" },
  mysql_server_version: { type: "string", default: "5.5.5-10.11.19-MariaDB-Vitess", help: "server version in the handshake" },
  mysql_auth_server_impl: { type: "string", default: "static", help: "none or static" },
  mysql_auth_server_static_file: { type: "string", default: "", help: "JSON file of users (Vitess's static auth format)" },
  mysql_auth_server_static_string: { type: "string", default: "", help: "the same JSON inline" },
  mysql_server_ssl_cert: { type: "string", default: "", help: "TLS certificate file" },
  mysql_server_ssl_key: { type: "string", default: "", help: "TLS key file" },
  mysql_server_ssl_ca: { type: "string", default: "", help: "CA for client certificates" },
  mysql_server_require_secure_transport: { type: "boolean", default: false, help: "refuse non-TLS TCP logins" },
  max_connections: { type: "number", default: 0, help: "maximum client connections (0: unlimited)" },
  mysql_server_query_timeout: { type: "number", default: 0, help: "idle connection timeout in ms (0: none)" },
  gate_query_cache_size: { type: "number", default: 5000, help: "plan cache entries" },
  grpc_port: { type: "number", default: 0, help: "gRPC port (0: disabled)" },
  port: { type: "number", default: 0, help: "HTTP port (unused)" },
  wait_timeout_ms: { type: "number", default: 30000, help: "how long to wait for tablets at startup" },
} as const satisfies Record<string, FlagSpec>;
