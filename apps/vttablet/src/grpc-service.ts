import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary, type DescMessage, type DescMethod, type DescService, type MessageInitShape,
  type MessageShape } from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import { SqlError } from "@vt/errors";
import { toGrpcStatus } from "./rpc-error.js";

const ser = (s: DescMessage) => (m: MessageShape<DescMessage>): Buffer => {
  const u = toBinary(s, m);
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
};
const de = (s: DescMessage) => (b: Buffer) => fromBinary(s, b);

/** grpc-js service definition built from a protobuf-es service descriptor. */
export function serviceDefinition(svc: DescService): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const m of svc.methods) {
    def[m.localName] = {
      path: `/${svc.typeName}/${m.name}`, originalName: m.name,
      requestStream: m.methodKind === "client_streaming" || m.methodKind === "bidi_streaming",
      responseStream: m.methodKind === "server_streaming" || m.methodKind === "bidi_streaming",
      requestSerialize: ser(m.input) as never, requestDeserialize: de(m.input),
      responseSerialize: ser(m.output) as never, responseDeserialize: de(m.output),
    };
  }
  return def as grpc.ServiceDefinition;
}

/** Handlers by method local name: unary → Promise, server-streaming → AsyncIterable, bidi → raw duplex call. */
export type ServiceHandlers<S extends GenServiceMethods> = {
  [K in keyof S]?: S[K]["methodKind"] extends "unary"
    ? (req: MessageShape<S[K]["input"]>, call: grpc.ServerUnaryCall<unknown, unknown>) => Promise<MessageInitShape<S[K]["output"]>>
    : S[K]["methodKind"] extends "server_streaming"
      ? (req: MessageShape<S[K]["input"]>, call: grpc.ServerWritableStream<unknown, unknown>) => AsyncIterable<MessageInitShape<S[K]["output"]>>
      : S[K]["methodKind"] extends "bidi_streaming"
        ? (call: grpc.ServerDuplexStream<MessageShape<S[K]["input"]>, MessageShape<S[K]["output"]>>) => void
        : never;
};

const unimplemented = (m: DescMethod) =>
  toGrpcStatus(new SqlError(1105, "HY000", `${m.parent.typeName}.${m.name} is not implemented`, "UNIMPLEMENTED"));

function unaryHandler(m: DescMethod, fn: Function | undefined): grpc.handleUnaryCall<unknown, unknown> {
  return (call, cb) => {
    if (fn === undefined) { cb(unimplemented(m)); return; }
    Promise.resolve()
      .then(() => fn(call.request, call))
      .then((r) => cb(null, create(m.output, r as never)), (e: unknown) => cb(toGrpcStatus(e)));
  };
}

function streamHandler(m: DescMethod, fn: Function | undefined): grpc.handleServerStreamingCall<unknown, unknown> {
  return async (call) => {
    if (fn === undefined) { call.emit("error", unimplemented(m)); return; }
    try {
      for await (const r of fn(call.request, call) as AsyncIterable<unknown>) {
        if (call.cancelled) return;
        if (!call.write(create(m.output, r as never))) await new Promise((ok) => call.once("drain", ok));
      }
      call.end();
    } catch (e) {
      if (!call.cancelled) call.emit("error", toGrpcStatus(e));
    }
  };
}

/**
 * Adds a service to a grpc-js server. Methods without a handler answer UNIMPLEMENTED; thrown errors become a gRPC
 * status with errno/SQLSTATE kept (see toGrpcStatus).
 */
export function addService<S extends GenServiceMethods>(server: grpc.Server, svc: GenService<S>, impl: ServiceHandlers<S>): void {
  const h: grpc.UntypedServiceImplementation = {};
  for (const m of svc.methods as DescMethod[]) {
    const fn = (impl as Record<string, Function | undefined>)[m.localName];
    if (m.methodKind === "unary") h[m.localName] = unaryHandler(m, fn);
    else if (m.methodKind === "server_streaming") h[m.localName] = streamHandler(m, fn);
    else if (m.methodKind === "bidi_streaming") {
      h[m.localName] = (call: grpc.ServerDuplexStream<unknown, unknown>) =>
        fn === undefined ? call.emit("error", unimplemented(m)) : fn(call);
    } else {
      h[m.localName] = (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(unimplemented(m));
    }
  }
  server.addService(serviceDefinition(svc), h);
}

/** The method map of a generated service: `MethodsOf<typeof Query>`. */
export type MethodsOf<T> = T extends GenService<infer S> ? S : never;
