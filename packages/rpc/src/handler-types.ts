// Typed handler and client-method shapes derived from protobuf-es service descriptors.
import type * as grpc from "@grpc/grpc-js";
import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { GenServiceMethods } from "@bufbuild/protobuf/codegenv2";

/** What every server handler gets besides its request(s). */
export interface CallContext {
  /** Aborted when the client cancels, the deadline passes or the server shuts down. */
  readonly signal: AbortSignal;
  /** Request metadata (headers). */
  readonly metadata: grpc.Metadata;
  /** The client's address. */
  readonly peer: string;
  /** The call's deadline (Infinity when none). */
  readonly deadline: grpc.Deadline;
  readonly cancelled: boolean;
}

/** Context of handlers that send a stream of responses. */
export interface SendContext<O extends DescMessage> extends CallContext {
  /** Queues one response; false means the buffer is full and the handler should `await drained()`. */
  send(msg: MessageInitShape<O>): boolean;
  /** Resolves when the send buffer has room again (or the call ended). */
  drained(): Promise<void>;
}

export type UnaryHandler<I extends DescMessage, O extends DescMessage> =
  (req: MessageShape<I>, ctx: CallContext) => MessageInitShape<O> | Promise<MessageInitShape<O>>;
/** Either yields responses, or sends them with `ctx.send` and resolves when done. */
export type ServerStreamingHandler<I extends DescMessage, O extends DescMessage> =
  (req: MessageShape<I>, ctx: SendContext<O>) => AsyncIterable<MessageInitShape<O>> | Promise<void>;
export type ClientStreamingHandler<I extends DescMessage, O extends DescMessage> =
  (reqs: AsyncIterable<MessageShape<I>>, ctx: CallContext) => Promise<MessageInitShape<O>>;
/** Requests arrive as an async iterable; responses are yielded or sent with `ctx.send` at any time. */
export type BidiStreamingHandler<I extends DescMessage, O extends DescMessage> =
  (reqs: AsyncIterable<MessageShape<I>>, ctx: SendContext<O>) => AsyncIterable<MessageInitShape<O>> | Promise<void>;

type MethodShape = GenServiceMethods[string];

/** The handler type for one method, chosen by its kind. */
export type HandlerFor<M extends MethodShape> =
  M["methodKind"] extends "unary" ? UnaryHandler<M["input"], M["output"]>
  : M["methodKind"] extends "server_streaming" ? ServerStreamingHandler<M["input"], M["output"]>
  : M["methodKind"] extends "client_streaming" ? ClientStreamingHandler<M["input"], M["output"]>
  : BidiStreamingHandler<M["input"], M["output"]>;

/** A full implementation of a service: one handler per method, keyed by the method's local name. */
export type ServiceImpl<S extends GenServiceMethods> = { [K in keyof S]: HandlerFor<S[K]> };

/** Per-call client options. */
export interface CallOptions {
  /** Absolute deadline (Date or epoch ms). */
  deadline?: Date | number;
  /** Relative deadline in ms; ignored when `deadline` is set. */
  timeoutMs?: number;
  /** Cancels the call when aborted. */
  signal?: AbortSignal;
  /** Request metadata. */
  metadata?: grpc.Metadata | Readonly<Record<string, string>>;
}

/** A server-streaming response: async-iterable, cancellable. Errors surface as SqlError/TopoError. */
export interface ResponseStream<T> extends AsyncIterable<T> {
  cancel(): void;
}

/** A bidirectional stream from the client side. */
export interface BidiStream<In, Out> extends AsyncIterable<Out> {
  /** Sends one request; false means the buffer is full (`await drained()`). */
  write(msg: In): boolean;
  drained(): Promise<void>;
  /** Half-closes the request side. */
  end(): void;
  cancel(): void;
}

export type UnaryMethod<I extends DescMessage, O extends DescMessage> =
  (req: MessageInitShape<I>, opts?: CallOptions) => Promise<MessageShape<O>>;
export type ServerStreamingMethod<I extends DescMessage, O extends DescMessage> =
  (req: MessageInitShape<I>, opts?: CallOptions) => ResponseStream<MessageShape<O>>;
export type ClientStreamingMethod<I extends DescMessage, O extends DescMessage> =
  (reqs: AsyncIterable<MessageInitShape<I>> | Iterable<MessageInitShape<I>>, opts?: CallOptions) => Promise<MessageShape<O>>;
export type BidiStreamingMethod<I extends DescMessage, O extends DescMessage> =
  (opts?: CallOptions) => BidiStream<MessageInitShape<I>, MessageShape<O>>;

/** The client method type for one method, chosen by its kind. */
export type ClientMethodFor<M extends MethodShape> =
  M["methodKind"] extends "unary" ? UnaryMethod<M["input"], M["output"]>
  : M["methodKind"] extends "server_streaming" ? ServerStreamingMethod<M["input"], M["output"]>
  : M["methodKind"] extends "client_streaming" ? ClientStreamingMethod<M["input"], M["output"]>
  : BidiStreamingMethod<M["input"], M["output"]>;

/** A typed client: one method per RPC (local lowerCamel names), plus `close()`. */
export type Client<S extends GenServiceMethods> = { readonly [K in keyof S]: ClientMethodFor<S[K]> } & {
  /** Closes the channel; in-flight calls fail with CANCELLED/UNAVAILABLE. */
  close(): void;
  /** The underlying grpc-js client (for channel state, waitForReady). */
  readonly grpcClient: grpc.Client;
};
