// @vt/tablet-client: how vtgate (and vtctld) talk to a vttablet's query service.
// `QueryService` is the interface vtgate codes against; `GrpcQueryService` implements it over gRPC, sending every query
// call over one multiplexed bidirectional `Multiplex` stream per tablet (ids, in-flight map, writes coalesced per
// event-loop turn), with Vitess's unary RPCs available as a fallback. Errors arrive as SqlError with MariaDB's
// errno/SQLSTATE; an unreachable tablet fails fast with vtCode UNAVAILABLE.
export type { QueryService, Target, ExecuteOptions, TabletAlias, BeginExecuteResult, TransactionMetadata } from "./query-service.js";
export { GrpcQueryService, type GrpcQueryServiceOptions } from "./grpc-query-service.js";
export { MuxClient, type MuxCallBody } from "./mux-client.js";
export { fromGrpcError, fromRpcError } from "./rpc-error.js";
