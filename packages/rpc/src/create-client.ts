// Typed grpc-js client over a protobuf-es service descriptor.
import * as grpc from "@grpc/grpc-js";
import type { DescMethod } from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import { deserializerFor, methodPath, serializerFor } from "./codec.js";
import { statusToError } from "./status-mapping.js";
import type { BidiStream, CallOptions, Client, ResponseStream } from "./handler-types.js";

/** Options of a client channel. */
export interface ClientOptions {
  /** Default relative deadline applied to calls that set none (ms). */
  defaultTimeoutMs?: number;
  /** Max message size in both directions (bytes); default 64 MiB. */
  maxMessageBytes?: number;
  /** Extra grpc-js channel options. */
  channelOptions?: grpc.ChannelOptions;
  /** Channel credentials; default insecure. */
  credentials?: grpc.ChannelCredentials;
}

type Ser = (v: unknown) => Buffer;
type De = (b: Buffer) => unknown;

function toMetadata(md: CallOptions["metadata"]): grpc.Metadata {
  if (md instanceof grpc.Metadata) return md;
  const out = new grpc.Metadata();
  if (md !== undefined) for (const k in md) out.set(k, md[k] as string);
  return out;
}

function callOptions(opts: CallOptions | undefined, defaultTimeoutMs: number | undefined): grpc.CallOptions {
  if (opts?.deadline !== undefined) return { deadline: opts.deadline };
  const t = opts?.timeoutMs ?? defaultTimeoutMs;
  return t === undefined ? {} : { deadline: Date.now() + t };
}

/** Cancels `call` when `signal` aborts; returns the cleanup to run when the call ends. */
function linkSignal(signal: AbortSignal | undefined, call: { cancel(): void }): (() => void) | undefined {
  if (signal === undefined) return undefined;
  if (signal.aborted) {
    call.cancel();
    return undefined;
  }
  const onAbort = (): void => call.cancel();
  signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
}

/** Iterates a grpc-js readable call, mapping errors; leaving the loop early cancels the call. */
async function* mapErrors<T>(call: grpc.ClientReadableStream<unknown> | grpc.ClientDuplexStream<unknown, unknown>): AsyncGenerator<T> {
  try {
    for await (const m of call) yield m as T;
  } catch (e) {
    throw statusToError(e as grpc.ServiceError);
  } finally {
    if (!call.readableEnded) call.cancel();
  }
}

class ClientResponseStream<T> implements ResponseStream<T> {
  constructor(private readonly call: grpc.ClientReadableStream<unknown>, private readonly cleanup: (() => void) | undefined) {}
  [Symbol.asyncIterator](): AsyncIterator<T> {
    const it = mapErrors<T>(this.call);
    const cleanup = this.cleanup;
    if (cleanup === undefined) return it;
    this.call.once("close", cleanup);
    return it;
  }
  cancel(): void { this.call.cancel(); }
}

class ClientBidiStream<In, Out> implements BidiStream<In, Out> {
  constructor(private readonly call: grpc.ClientDuplexStream<unknown, unknown>) {}
  write(msg: In): boolean { return this.call.write(msg); }
  drained(): Promise<void> {
    const c = this.call;
    if (!c.writableNeedDrain || c.writableEnded || c.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => { c.off("drain", done); c.off("close", done); resolve(); };
      c.on("drain", done);
      c.on("close", done);
    });
  }
  end(): void { this.call.end(); }
  cancel(): void { this.call.cancel(); }
  [Symbol.asyncIterator](): AsyncIterator<Out> { return mapErrors<Out>(this.call); }
}

function unaryMethod(c: grpc.Client, path: string, ser: Ser, de: De, dt: number | undefined) {
  return (req: unknown, opts?: CallOptions): Promise<unknown> => new Promise((resolve, reject) => {
    let cleanup: (() => void) | undefined;
    const call = c.makeUnaryRequest(path, ser, de, req, toMetadata(opts?.metadata), callOptions(opts, dt), (err, res) => {
      cleanup?.();
      if (err) reject(statusToError(err));
      else resolve(res);
    });
    cleanup = linkSignal(opts?.signal, call);
  });
}

function serverStreamMethod(c: grpc.Client, path: string, ser: Ser, de: De, dt: number | undefined) {
  return (req: unknown, opts?: CallOptions): ResponseStream<unknown> => {
    const call = c.makeServerStreamRequest(path, ser, de, req, toMetadata(opts?.metadata), callOptions(opts, dt));
    return new ClientResponseStream(call, linkSignal(opts?.signal, call));
  };
}

function clientStreamMethod(c: grpc.Client, path: string, ser: Ser, de: De, dt: number | undefined) {
  return (reqs: AsyncIterable<unknown> | Iterable<unknown>, opts?: CallOptions): Promise<unknown> => {
    let cleanup: (() => void) | undefined;
    let call: grpc.ClientWritableStream<unknown> | undefined;
    const result = new Promise<unknown>((resolve, reject) => {
      call = c.makeClientStreamRequest(path, ser, de, toMetadata(opts?.metadata), callOptions(opts, dt), (err, res) => {
        cleanup?.();
        if (err) reject(statusToError(err));
        else resolve(res);
      });
    });
    const w = call as grpc.ClientWritableStream<unknown>;
    cleanup = linkSignal(opts?.signal, w);
    void (async () => {
      try {
        for await (const m of reqs) {
          if (w.destroyed || w.writableEnded) return;
          if (!w.write(m)) await new Promise<void>((r) => { w.once("drain", r); w.once("close", r); });
        }
        w.end();
      } catch {
        w.cancel();
      }
    })();
    return result;
  };
}

function bidiMethod(c: grpc.Client, path: string, ser: Ser, de: De, dt: number | undefined) {
  return (opts?: CallOptions): BidiStream<unknown, unknown> => {
    const call = c.makeBidiStreamRequest(path, ser, de, toMetadata(opts?.metadata), callOptions(opts, dt));
    const cleanup = linkSignal(opts?.signal, call);
    if (cleanup !== undefined) call.once("close", cleanup);
    return new ClientBidiStream(call);
  };
}

function clientMethod(c: grpc.Client, m: DescMethod, dt: number | undefined): unknown {
  const path = methodPath(m);
  const ser = serializerFor(m.input);
  const de = deserializerFor(m.output);
  switch (m.methodKind) {
    case "unary": return unaryMethod(c, path, ser, de, dt);
    case "server_streaming": return serverStreamMethod(c, path, ser, de, dt);
    case "client_streaming": return clientStreamMethod(c, path, ser, de, dt);
    case "bidi_streaming": return bidiMethod(c, path, ser, de, dt);
  }
}

/** grpc-js channel options with our message-size defaults. */
export function channelOptions(maxMessageBytes = 64 * 1024 * 1024, extra: grpc.ChannelOptions = {}): grpc.ChannelOptions {
  return {
    "grpc.max_receive_message_length": maxMessageBytes,
    "grpc.max_send_message_length": maxMessageBytes,
    "grpc.keepalive_time_ms": 30_000,
    "grpc.keepalive_timeout_ms": 10_000,
    ...extra,
  };
}

/**
 * A typed client for `svc` at `address` ("host:port"). The channel connects lazily. Methods are keyed by
 * local (lowerCamel) names: `client.execute(req)`, `client.streamHealth(req)`, `client.multiplex()`.
 * Failed calls reject with SqlError (or TopoError when the server threw one).
 */
export function createClient<S extends GenServiceMethods>(svc: GenService<S>, address: string, opts: ClientOptions = {}): Client<S> {
  const c = new grpc.Client(address, opts.credentials ?? grpc.credentials.createInsecure(),
    channelOptions(opts.maxMessageBytes, opts.channelOptions));
  const out: Record<string, unknown> = {};
  for (const m of svc.methods) out[m.localName] = clientMethod(c, m, opts.defaultTimeoutMs);
  out.close = () => c.close();
  out.grpcClient = c;
  return out as Client<S>;
}
