// @vt/rpc: typed gRPC (grpc-js) servers and clients over protobuf-es service descriptors, with error
// mapping (SqlError/TopoError <-> gRPC status), server reflection and graceful shutdown.
export { serveService, grpcHandler, rawDuplexHandler } from "./serve-service.js";
export { createClient, channelOptions, type ClientOptions } from "./create-client.js";
export { RpcServer, startServer, bindService, type RpcServerOptions, type ServiceBinding, type StartedServer } from "./rpc-server.js";
export { addReflection } from "./reflection.js";
export { serviceDefinition, methodDefinition, methodPath, serializerFor, deserializerFor } from "./codec.js";
export {
  errorToStatus, statusToError, vtCodeToGrpc, grpcToVtCode, RpcStatusError,
  MD_ERRNO, MD_SQLSTATE, MD_VTCODE, MD_TOPO_CODE, MD_TOPO_NODE,
} from "./status-mapping.js";
export type {
  CallContext, SendContext, UnaryHandler, ServerStreamingHandler, ClientStreamingHandler, BidiStreamingHandler,
  HandlerFor, ServiceImpl, CallOptions, ResponseStream, BidiStream, UnaryMethod, ServerStreamingMethod,
  ClientStreamingMethod, BidiStreamingMethod, ClientMethodFor, Client,
} from "./handler-types.js";
export { status as GrpcStatus, Metadata } from "@grpc/grpc-js";
