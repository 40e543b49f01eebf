import { rawDuplexHandler, startServer, type RpcServer, type StartedServer } from "@vt/rpc";
import { Query } from "@vt/proto/queryservice";
import type { MuxRequestSchema, MuxResponseSchema } from "@vt/proto/query";
import type { HealthStreamer } from "./health-streamer.js";
import type { SchemaEngine } from "./schema-engine.js";
import { MuxSession } from "./mux-server.js";
import { QueryCalls, queryHandlers } from "./query-service.js";
import type { TabletServer } from "./tablet-server.js";

export type { StartedServer } from "@vt/rpc";

/** Extra services to serve next to Query (e.g. TabletManager), registered on the same @vt/rpc server. */
export type AddServices = (server: RpcServer) => void;

/**
 * Serves service Query (unary RPCs, StreamExecute, StreamHealth and the Multiplex stream) plus `addServices` on
 * host:port (port 0 = OS-assigned) through @vt/rpc, with reflection. The Multiplex stream is handed the raw duplex
 * call (MuxSession does its own framing, corking and flow control). Throws if the port cannot be bound.
 */
export async function startGrpcServer(opts: {
  host: string; port: number; ts: TabletServer; health: HealthStreamer; alias: { cell: string; uid: number };
  /** Answers GetSchema (CREATE TABLE texts); absent: GetSchema is UNIMPLEMENTED. */
  schema?: SchemaEngine;
  addServices?: AddServices;
}): Promise<StartedServer> {
  const calls = new QueryCalls(opts.ts, opts.alias);
  const multiplex = rawDuplexHandler<typeof MuxRequestSchema, typeof MuxResponseSchema>((call) => { new MuxSession(call, calls); });
  return startServer(opts.host, opts.port, [{
    register: (server) => {
      server.serve(Query, { ...queryHandlers(calls, opts.health, opts.schema), multiplex });
      opts.addServices?.(server);
    },
  }]);
}
