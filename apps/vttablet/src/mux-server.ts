import type * as grpc from "@grpc/grpc-js";
import type { MuxRequest, MuxResponse } from "@vt/proto/query";
import { SqlError } from "@vt/errors";
import type { QueryCalls } from "./query-service.js";
import { toRpcError } from "./rpc-error.js";

type MuxCall = grpc.ServerDuplexStream<MuxRequest, MuxResponse>;
type Answer = MuxResponse["response"];

/**
 * Serves one Multiplex stream: many calls in flight, each tagged by the client's id. Unary calls get one frame with
 * last=true; StreamExecute gets one frame per chunk and a final empty frame with last=true; a failure is an `error`
 * frame (vtrpc.RPCError, errno/SQLSTATE in the message as Vitess does) with last=true. Frames produced in the same
 * event-loop turn are written together; a streaming call waits for 'drain' when the transport is full.
 * `cancel_id` stops a streaming call.
 */
export class MuxSession {
  private queue: MuxResponse[] = [];
  private flushScheduled = false;
  private readonly streams = new Map<bigint, AbortController>();
  private closed = false;

  constructor(private readonly call: MuxCall, private readonly calls: QueryCalls) {
    call.on("data", (req: MuxRequest) => this.dispatch(req));
    call.on("end", () => this.close());
    call.on("cancelled", () => this.close());
    call.on("error", () => this.close());
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const ac of this.streams.values()) ac.abort();
    this.streams.clear();
    if (!this.call.writableEnded) this.call.end();
  }

  private dispatch(req: MuxRequest): void {
    const r = req.request;
    switch (r.case) {
      case "execute": {
        const id = req.id;
        this.calls.execute(r.value).then((value) => this.send(id, { case: "execute", value }, true), (e: unknown) => this.sendError(id, e));
        return;
      }
      case "begin": return this.unary(req.id, this.calls.begin(r.value).then((value): Answer => ({ case: "begin", value })));
      case "commit": return this.unary(req.id, this.calls.commit(r.value).then((value): Answer => ({ case: "commit", value })));
      case "rollback": return this.unary(req.id, this.calls.rollback(r.value).then((value): Answer => ({ case: "rollback", value })));
      case "beginExecute":
        return this.unary(req.id, this.calls.beginExecute(r.value).then((value): Answer => ({ case: "beginExecute", value })));
      case "streamExecute": void this.stream(req.id, r.value); return;
      case "cancelId": this.streams.get(r.value)?.abort(); return;
      default:
        this.sendError(req.id, new SqlError(1105, "HY000", `Multiplex: unsupported request ${r.case ?? "(none)"}`, "UNIMPLEMENTED"));
    }
  }

  private unary(id: bigint, p: Promise<Answer>): void {
    p.then((answer) => this.send(id, answer, true), (e: unknown) => this.sendError(id, e));
  }

  private async stream(id: bigint, req: Parameters<QueryCalls["streamExecute"]>[0]): Promise<void> {
    const ac = new AbortController();
    this.streams.set(id, ac);
    try {
      for await (const value of this.calls.streamExecute(req)) {
        if (ac.signal.aborted || this.closed) return;
        this.send(id, { case: "streamExecute", value }, false);
        if (this.call.writableNeedDrain) await this.drained();
      }
      this.send(id, { case: undefined }, true);
    } catch (e) {
      this.sendError(id, e);
    } finally {
      this.streams.delete(id);
    }
  }

  private drained(): Promise<void> {
    return new Promise((ok) => {
      const done = () => { this.call.off("drain", done); this.call.off("close", done); ok(); };
      this.call.once("drain", done);
      this.call.once("close", done);
    });
  }

  private sendError(id: bigint, e: unknown): void {
    this.send(id, { case: "error", value: toRpcError(e) }, true);
  }

  private send(id: bigint, response: Answer, last: boolean): void {
    if (this.closed) return;
    // A complete message literal: the serializer's create() returns it as is (no reflective copy).
    this.queue.push({ $typeName: "query.MuxResponse", id, response, last });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.closed) { this.queue = []; return; }
    const batch = this.queue;
    this.queue = [];
    this.call.cork();
    for (const m of batch) this.call.write(m);
    process.nextTick(() => this.call.uncork());
  }
}
