import * as grpc from "@grpc/grpc-js";
import { Query } from "@vt/proto/queryservice";
import type { MuxRequest, MuxResponse } from "@vt/proto/query";
import { addService, type MethodsOf, type ServiceHandlers } from "./grpc-service.js";
import type { HealthStreamer } from "./health-streamer.js";
import { MuxSession } from "./mux-server.js";
import { QueryCalls, queryHandlers } from "./query-service.js";
import type { TabletServer } from "./tablet-server.js";

/** A started gRPC server. */
export interface StartedServer {
  server: grpc.Server;
  port: number;
  /** Stops accepting calls; open streams get a short grace period and are then cancelled. */
  stop(): Promise<void>;
}

/** Extra services to serve next to Query (e.g. TabletManager). */
export type AddServices = (server: grpc.Server) => void;

/**
 * Serves service Query (unary RPCs, StreamExecute, StreamHealth and the Multiplex stream) on host:port
 * (port 0 = OS-assigned). Throws if the port cannot be bound.
 */
export async function startGrpcServer(opts: {
  host: string; port: number; ts: TabletServer; health: HealthStreamer; alias: { cell: string; uid: number };
  addServices?: AddServices;
}): Promise<StartedServer> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 64 * 1024 * 1024 });
  const calls = new QueryCalls(opts.ts, opts.alias);
  const handlers: ServiceHandlers<MethodsOf<typeof Query>> = {
    ...queryHandlers(calls, opts.health),
    multiplex: (call: grpc.ServerDuplexStream<MuxRequest, MuxResponse>) => { new MuxSession(call, calls); },
  };
  addService(server, Query, handlers);
  opts.addServices?.(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${opts.host}:${opts.port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  const stop = () => new Promise<void>((resolve) => {
    const t = setTimeout(() => { server.forceShutdown(); resolve(); }, 1000);
    server.tryShutdown(() => { clearTimeout(t); resolve(); });
  });
  return { server, port, stop };
}
