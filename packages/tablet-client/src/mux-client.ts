import * as grpc from "@grpc/grpc-js";
import { create } from "@bufbuild/protobuf";
import { SqlError } from "@vt/errors";
import { MuxRequestSchema, MuxResponseSchema, type MuxRequest, type MuxResponse } from "@vt/proto/query";
import { FrameQueue } from "./frame-queue.js";
import { decodeMuxResponse, encodeMuxRequest } from "./mux-codec.js";
import { fromGrpcError, fromRpcError } from "./rpc-error.js";

const MUX_PATH = "/queryservice.Query/Multiplex";
const serialize = encodeMuxRequest;
const deserialize = decodeMuxResponse;

interface Pending {
  frame(resp: MuxResponse): void;
  fail(err: SqlError): void;
}

/** A request body for the Multiplex stream (the MuxRequest oneof). */
export type MuxCallBody = MuxRequest["request"];

/**
 * Many concurrent calls over one Multiplex bidi stream per tablet. Ids tag requests and answers; requests made in
 * the same event-loop turn are written together. When the stream fails, every call in flight fails with
 * UNAVAILABLE (or the stream's status) and the next call opens a new stream.
 */
export class MuxClient {
  private call: grpc.ClientDuplexStream<MuxRequest, MuxResponse> | undefined;
  private nextId = 1n;
  private readonly pending = new Map<bigint, Pending>();
  private outbox: MuxRequest[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(private readonly client: grpc.Client) {}

  /** Sends one request and resolves with its single answer frame. Throws the call's SqlError. */
  unary(body: MuxCallBody): Promise<MuxResponse> {
    return new Promise((resolve, reject) => {
      this.start(body, { frame: resolve, fail: reject });
    });
  }

  /** Sends a streaming request; yields its answer frames. Breaking out sends cancel_id. */
  async *stream(body: MuxCallBody): AsyncIterable<MuxResponse> {
    const q = new FrameQueue<MuxResponse>();
    const id = this.start(body, { frame: (r) => { if (r.response.case !== undefined) q.push(r); if (r.last) q.end(); }, fail: (e) => q.end(e) });
    let finished = false;
    try {
      for await (const r of q) yield r;
      finished = true;
    } finally {
      if (!finished && this.pending.delete(id)) this.enqueue(create(MuxRequestSchema, { id: 0n, request: { case: "cancelId", value: id } }));
    }
  }

  /** Closes the stream; calls in flight fail with UNAVAILABLE. */
  close(): void {
    this.closed = true;
    this.failAll(new SqlError(2013, "HY000", "tablet connection closed", "UNAVAILABLE"));
    this.call?.end();
    this.call = undefined;
  }

  private start(body: MuxCallBody, p: Pending): bigint {
    const id = this.nextId++;
    if (this.closed) {
      p.fail(new SqlError(2013, "HY000", "tablet connection closed", "UNAVAILABLE"));
      return id;
    }
    this.pending.set(id, p);
    this.enqueue({ $typeName: "query.MuxRequest", id, request: body });
    return id;
  }

  private enqueue(req: MuxRequest): void {
    this.outbox.push(req);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length === 0 || this.closed) return;
    const call = this.ensureStream();
    call.cork();
    for (const m of batch) call.write(m);
    process.nextTick(() => call.uncork());
  }

  private ensureStream(): grpc.ClientDuplexStream<MuxRequest, MuxResponse> {
    if (this.call !== undefined) return this.call;
    const call = this.client.makeBidiStreamRequest(MUX_PATH, serialize, deserialize, new grpc.Metadata(), {});
    this.call = call;
    call.on("data", (r: MuxResponse) => this.onFrame(r));
    call.on("error", (e: unknown) => this.broken(call, fromGrpcError(e)));
    call.on("end", () => this.broken(call, new SqlError(2013, "HY000", "tablet ended the Multiplex stream", "UNAVAILABLE")));
    return call;
  }

  private onFrame(r: MuxResponse): void {
    const p = this.pending.get(r.id);
    if (p === undefined) return;
    if (r.response.case === "error") {
      this.pending.delete(r.id);
      p.fail(fromRpcError(r.response.value));
      return;
    }
    if (r.last) this.pending.delete(r.id);
    p.frame(r);
  }

  private broken(call: grpc.ClientDuplexStream<MuxRequest, MuxResponse>, err: SqlError): void {
    if (this.call !== call) return;
    this.call = undefined;
    this.failAll(err);
  }

  private failAll(err: SqlError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.fail(err);
  }
}
