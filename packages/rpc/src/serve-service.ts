// Registers a protobuf-es service implementation on a grpc-js server.
import * as grpc from "@grpc/grpc-js";
import type { DescMessage, DescMethod, MessageShape } from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import { serviceDefinition } from "./codec.js";
import { errorToStatus } from "./status-mapping.js";
import type { BidiStreamingHandler, ServiceImpl } from "./handler-types.js";

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerReadableStream<unknown, unknown>
  | grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>;
type AnyFn = (a: unknown, ctx: unknown) => unknown;

/** CallContext over a grpc-js call; the AbortController is created only if a handler reads `signal`. */
class ServerCallContext {
  private ac: AbortController | undefined;
  constructor(protected readonly call: AnyCall) {}

  get signal(): AbortSignal {
    if (this.ac === undefined) {
      const ac = new AbortController();
      this.ac = ac;
      if (this.call.cancelled) ac.abort();
      else (this.call as grpc.ServerUnaryCall<unknown, unknown>).once("cancelled", () => ac.abort());
    }
    return this.ac.signal;
  }
  get metadata(): grpc.Metadata { return this.call.metadata; }
  get peer(): string { return this.call.getPeer(); }
  get deadline(): grpc.Deadline { return this.call.getDeadline(); }
  get cancelled(): boolean { return this.call.cancelled; }
}

/** SendContext over a writable grpc-js call. */
class ServerSendContext extends ServerCallContext {
  constructor(private readonly w: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>) {
    super(w);
  }
  send(msg: unknown): boolean {
    if (this.w.cancelled || this.w.writableEnded) return true;
    return this.w.write(msg);
  }
  drained(): Promise<void> {
    const w = this.w;
    if (w.cancelled || w.writableEnded || !w.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        w.off("drain", done);
        w.off("cancelled", done);
        w.off("close", done);
        resolve();
      };
      w.on("drain", done);
      w.on("cancelled", done);
      w.on("close", done);
    });
  }
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
}

/**
 * The request stream as an async iterable that does not destroy the call when the loop ends (the default
 * Readable iterator would, which also kills the response side of a bidi call).
 */
function requestsOf(call: grpc.ServerReadableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>): AsyncIterable<unknown> {
  return { [Symbol.asyncIterator]: () => call.iterator({ destroyOnReturn: false }) };
}

function unaryHandler(fn: AnyFn): grpc.handleUnaryCall<unknown, unknown> {
  return (call, cb) => {
    let r: unknown;
    try {
      r = fn(call.request, new ServerCallContext(call));
    } catch (e) {
      cb(errorToStatus(e));
      return;
    }
    if (r instanceof Promise) r.then((v) => cb(null, v), (e: unknown) => cb(errorToStatus(e)));
    else cb(null, r);
  };
}

async function pump(w: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>,
  ctx: ServerSendContext, r: unknown): Promise<void> {
  if (isAsyncIterable(r)) {
    for await (const m of r) {
      if (w.cancelled) return;
      if (!w.write(m)) await ctx.drained();
    }
  } else {
    await r;
  }
}

function failStream(w: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>, e: unknown): void {
  if (!w.cancelled && !w.writableEnded) w.emit("error", errorToStatus(e));
}

function serverStreamHandler(fn: AnyFn): grpc.handleServerStreamingCall<unknown, unknown> {
  return (call) => {
    const ctx = new ServerSendContext(call);
    let r: unknown;
    try {
      r = fn(call.request, ctx);
    } catch (e) {
      failStream(call, e);
      return;
    }
    pump(call, ctx, r).then(() => { if (!call.cancelled && !call.writableEnded) call.end(); }, (e: unknown) => failStream(call, e));
  };
}

function clientStreamHandler(fn: AnyFn): grpc.handleClientStreamingCall<unknown, unknown> {
  return (call, cb) => {
    let r: unknown;
    try {
      r = fn(requestsOf(call), new ServerCallContext(call));
    } catch (e) {
      cb(errorToStatus(e));
      return;
    }
    Promise.resolve(r).then((v) => cb(null, v), (e: unknown) => cb(errorToStatus(e)));
  };
}

function bidiHandler(fn: AnyFn): grpc.handleBidiStreamingCall<unknown, unknown> {
  return (call) => {
    const ctx = new ServerSendContext(call);
    let r: unknown;
    try {
      r = fn(requestsOf(call), ctx);
    } catch (e) {
      failStream(call, e);
      return;
    }
    pump(call, ctx, r).then(() => { if (!call.cancelled && !call.writableEnded) call.end(); }, (e: unknown) => failStream(call, e));
  };
}

const RAW_CALL = Symbol.for("@vt/rpc.rawDuplex");
type RawDuplexFn = ((call: grpc.ServerDuplexStream<unknown, unknown>) => void) & { [RAW_CALL]?: true };

/**
 * Wraps a handler that drives the grpc-js duplex call itself (its own framing, corking and flow control, e.g. the
 * tablet's Multiplex stream), so it can be registered with serveService/RpcServer next to typed handlers. The
 * handler owns the call: it must end it; nothing is pumped or mapped for it (errors it emits must be statuses).
 * Use only on bidi-streaming methods.
 */
export function rawDuplexHandler<I extends DescMessage, O extends DescMessage>(
  fn: (call: grpc.ServerDuplexStream<MessageShape<I>, MessageShape<O>>) => void): BidiStreamingHandler<I, O> {
  const raw = ((call: grpc.ServerDuplexStream<unknown, unknown>) => fn(call as never)) as RawDuplexFn;
  raw[RAW_CALL] = true;
  return raw as unknown as BidiStreamingHandler<I, O>;
}

/** Builds the grpc-js handler for one method from a typed handler function. */
export function grpcHandler(m: DescMethod, fn: AnyFn): grpc.UntypedHandleCall {
  if ((fn as RawDuplexFn)[RAW_CALL] === true && m.methodKind === "bidi_streaming") {
    return fn as unknown as grpc.handleBidiStreamingCall<unknown, unknown>;
  }
  switch (m.methodKind) {
    case "unary": return unaryHandler(fn);
    case "server_streaming": return serverStreamHandler(fn);
    case "client_streaming": return clientStreamHandler(fn);
    case "bidi_streaming": return bidiHandler(fn);
  }
}

/**
 * Adds `svc` to `server` with the given handlers. Missing handlers answer UNIMPLEMENTED. Errors thrown by
 * handlers become gRPC statuses (SqlError keeps errno/SQLSTATE, TopoError its code; see status-mapping.ts).
 */
export function serveService<S extends GenServiceMethods>(server: grpc.Server, svc: GenService<S>, impl: Partial<ServiceImpl<S>>): void {
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const m of svc.methods) {
    const fn = (impl as Record<string, AnyFn | undefined>)[m.localName];
    if (fn === undefined) continue;
    handlers[m.localName] = grpcHandler(m, (fn as RawDuplexFn)[RAW_CALL] === true ? fn : fn.bind(impl));
  }
  server.addService(serviceDefinition(svc), handlers);
}
