// @vt/tablet-client: how vtgate (and vtctld) talk to a vttablet's query service.
// `QueryService` is the interface vtgate codes against; `GrpcQueryService` implements it over gRPC, sending every query
// call over one multiplexed bidirectional `Multiplex` stream per tablet (ids, in-flight map, writes coalesced per
// event-loop turn), with Vitess's unary RPCs available as a fallback. When the tablet advertises a "mux" port, the same
// multiplexed frames go over a plain TCP connection instead (MuxSocketClient; length-prefixed MuxRequest/MuxResponse). Errors arrive as SqlError with MariaDB's
// errno/SQLSTATE; an unreachable tablet fails fast with vtCode UNAVAILABLE.
export type { QueryService, Target, ExecuteOptions, TabletAlias, BeginExecuteResult, TransactionMetadata } from "./query-service.js";
export { GrpcQueryService, type GrpcQueryServiceOptions } from "./grpc-query-service.js";
export { MuxClient, type MuxCallBody } from "./mux-client.js";
export { fromGrpcError, fromRpcError } from "./rpc-error.js";
export { MuxSocketClient } from "./mux-socket-client.js";
// The mux-port wire format, shared with vttablet's server side.
export { FrameReader } from "./frame-reader.js";
export { Out as ProtoOut } from "./proto-wire.js";
export { TurnWriter } from "./turn-writer.js";
export {
  readMuxRequest, TargetCache, isFastRequest, writeResultResponse, writeExecuteRequest, writeBeginExecuteRequest, writeTxEndRequest,
  writeBeginExecuteResponse, writeEmptyResponse, readBeginExecuteResponse, readMuxHead, readResultHolder, FieldCache,
  MUX_EXECUTE, MUX_BEGIN_EXECUTE, MUX_COMMIT, MUX_ROLLBACK, MUX_STREAM_EXECUTE, MUX_ERROR,
  type FastRequest, type FastExecute, type FastBeginExecute, type FastTxEnd, type WireTarget, type MuxFrameHead,
  type WireBeginExecute,
} from "./mux-fast-codec.js";
