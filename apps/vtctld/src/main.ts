// vtctld: the control plane's gRPC API (vtctlservice.Vtctld) over topo and the tablets' TabletManager service.
// Composition root: flags → TopoServer → TabletManager clients → RpcServer; prints `READY vtctld <addr>`.
import { parseFlags } from "@vt/flags";
import { Vtctld } from "@vt/proto/vtctlservice";
import { RpcServer } from "@vt/rpc";
import { openTopoServer } from "@vt/topo";
import { defaultVindexRegistry } from "@vt/vindexes";
import { GrpcTabletManagerClient } from "./tablet-manager-client.js";
import { createVtctldService } from "./vtctld-service.js";

const flags = parseFlags({
  topo_implementation: { type: "string", default: "etcd2", help: "topo backend: etcd2 | memory" },
  topo_global_server_address: { type: "string", default: "127.0.0.1:2379", help: "etcd endpoints of the global topo" },
  topo_global_root: { type: "string", default: "/vitess/global", help: "root path of the global topo" },
  cell: { type: "string", default: "zone1", help: "this vtctld's cell" },
  grpc_port: { type: "number", default: 15999, help: "gRPC port (0 = OS-assigned)" },
  grpc_bind_address: { type: "string", default: "127.0.0.1", help: "gRPC bind address" },
  port: { type: "number", default: 0, help: "HTTP port (accepted; no HTTP UI yet)" },
  tablet_manager_timeout_ms: { type: "number", default: 30000, help: "timeout of TabletManager calls" },
}, process.argv.slice(2));

const impl = flags.topo_implementation === "memory" ? "memory" : "etcd2";
const ts = openTopoServer({
  implementation: impl, globalServerAddress: flags.topo_global_server_address, globalRoot: flags.topo_global_root,
});
const tmc = new GrpcTabletManagerClient(flags.tablet_manager_timeout_ms);
const server = new RpcServer().serve(Vtctld, createVtctldService({
  ts, tmc, registry: defaultVindexRegistry(), version: "vitess-ts 0.1.0 (vtctld)",
}));
const port = await server.listen(flags.grpc_bind_address, flags.grpc_port);
const addr = `${flags.grpc_bind_address}:${port}`;
process.stdout.write(`READY vtctld ${addr}\n`);
process.stderr.write(`vtctld serving gRPC on ${addr} (topo ${impl} ${flags.topo_global_server_address}${flags.topo_global_root})\n`);

let stopping = false;
const shutdown = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await server.close(2000).catch(() => {});
  tmc.close();
  await ts.close().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
