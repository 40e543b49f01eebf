import * as net from "node:net";
import { toBinary } from "@bufbuild/protobuf";
import { SqlError } from "@vt/errors";
import { MuxResponseSchema, type MuxRequest, type MuxResponse, type StreamExecuteRequest } from "@vt/proto/query";
import { bindVariablesFromProto, type Field, type Result } from "@vt/sqltypes";
import {
  FrameReader, isFastRequest, MUX_COMMIT, MUX_EXECUTE, MUX_ROLLBACK, MUX_STREAM_EXECUTE, TargetCache, TurnWriter, readMuxRequest,
  writeBeginExecuteResponse, writeEmptyResponse, writeResultResponse, type FastRequest,
} from "@vt/tablet-client";
import { RPCErrorSchema } from "@vt/proto/vtrpc";
import type { QueryCalls } from "./query-service.js";
import type { ExecOptionsLike } from "./tablet-server.js";
import { toRpcError } from "./rpc-error.js";
import { CallCancel } from "./call-cancel.js";

type Answer = MuxResponse["response"];
/** The options of a fast request that asked for CLIENT_FOUND_ROWS (shared, never mutated). */
const FOUND_ROWS: ExecOptionsLike = Object.freeze({ clientFoundRows: true });

/**
 * The tablet's mux port: a plain TCP listener speaking length-prefixed MuxRequest/MuxResponse frames (4-byte
 * big-endian length, then the protobuf message), the same calls as the gRPC Multiplex stream without HTTP/2.
 * vtgate finds it in the Tablet record's port_map under "mux".
 */
export class MuxSocketServer {
  private readonly sessions = new Set<MuxSocketSession>();

  private constructor(private readonly server: net.Server, readonly port: number) {}

  /** Listens on host:port (0 = OS-assigned) and serves `calls` of tablet `alias`. Throws if the port cannot be bound. */
  static async listen(host: string, port: number, calls: QueryCalls, alias: { cell: string; uid: number }): Promise<MuxSocketServer> {
    const server = net.createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => { server.off("error", reject); resolve(); });
    });
    const s = new MuxSocketServer(server, (server.address() as net.AddressInfo).port);
    server.on("connection", (sock) => {
      const session = new MuxSocketSession(sock, calls, alias, () => s.sessions.delete(session));
      s.sessions.add(session);
    });
    return s;
  }

  /** Stops listening and closes every connection (calls in flight are dropped; clients see UNAVAILABLE). */
  async close(): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    for (const s of this.sessions) s.close();
    this.sessions.clear();
    await closed;
  }
}

/** The chunks a credit-based stream may still send, and its waiter while it has none. */
interface StreamCredit {
  n: number;
  wake: (() => void) | undefined;
}

/** Credits kept for streams not started yet (a client sends a stream's first credit just ahead of its request). */
const MAX_EARLY_CREDITS = 1024;

/**
 * One client connection: many calls in flight, answers tagged with the request's id. Plain Execute requests go
 * straight to the TabletServer and their Results are written without protobuf-es objects; other calls take
 * QueryCalls (the same code as the gRPC RPCs). Everything answered in one event-loop turn is one socket write. A
 * StreamExecute waits for 'drain' when the socket is full (backpressure per connection); `cancel_id` stops one.
 * A stream whose id got a `stream_credit` before its request is credit-based: it sends a result chunk only while it
 * has credit (one per chunk) and otherwise waits for the client to grant more, so a slow consumer of one stream
 * pauses that stream's MariaDB read without stalling the connection's other calls.
 */
class MuxSocketSession {
  private readonly turn = new TurnWriter((b) => { if (!this.closed) this.sock.write(b); });
  /** Calls that cancel_id (or the connection closing) can stop, by request id. */
  private readonly streams = new Map<bigint, { abort(): void }>();
  /** Credit of credit-based streams, by id (including streams about to start). */
  private readonly credits = new Map<bigint, StreamCredit>();
  /** The highest stream id started: later credits for ids up to it belong to finished streams and are dropped. */
  private lastStreamId = 0n;
  private closed = false;
  /** The last request target, decoded once (see readMuxRequest). */
  private readonly targets = new TargetCache();
  /** Encoded column definitions by Field object (see writeResultResponse). */
  private readonly fieldBytes = new WeakMap<Field, Uint8Array>();

  constructor(private readonly sock: net.Socket, private readonly calls: QueryCalls,
    private readonly alias: { cell: string; uid: number }, private readonly onClose: () => void) {
    const reader = new FrameReader((f) => this.dispatch(f), 64 * 1024 * 1024);
    sock.on("data", (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch {
        this.close();
      }
    });
    sock.on("error", () => this.close());
    sock.on("close", () => this.close());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const ac of this.streams.values()) ac.abort();
    this.streams.clear();
    for (const c of this.credits.values()) c.wake?.();
    this.credits.clear();
    this.sock.destroy();
    this.onClose();
  }

  private dispatch(frame: Buffer): void {
    let req;
    try {
      req = readMuxRequest(frame, this.targets);
    } catch (e) {
      this.sendError(0n, new SqlError(1105, "HY000", `mux: bad request frame: ${(e as Error).message}`, "INVALID_ARGUMENT"));
      return;
    }
    if (isFastRequest(req)) this.dispatchFast(req);
    else this.dispatchMessage(req);
  }

  /** Plain Execute/BeginExecute/Commit/Rollback: straight to the TabletServer, answers written by hand. */
  private dispatchFast(req: FastRequest): void {
    switch (req.kind) {
      case "execute": {
        // registered like a stream so cancel_id (or the connection closing) kills the statement on MariaDB
        void this.execute(req);
        return;
      }
      case "beginExecute": void this.beginExecute(req); return;
      case "commit":
      case "rollback": void this.endTx(req); return;
    }
  }

  /** A fast BeginExecute (an async method rather than promise callbacks: no closures per call). */
  private async beginExecute(req: FastRequest & { kind: "beginExecute" }): Promise<void> {
    let r;
    try {
      r = await this.calls.tabletServer.beginExecute(req.target, req.sql, req.bindVars,
        req.clientFoundRows ? FOUND_ROWS : undefined, req.preQueries);
    } catch (e) {
      this.sendError(req.id, e);
      return;
    }
    if (this.closed) return;
    const o = this.turn.output();
    const at = o.beginFrame();
    writeBeginExecuteResponse(o, req.id, r.transactionId, this.alias, r.result,
      r.error ? toBinary(RPCErrorSchema, toRpcError(r.error)) : undefined, this.fieldBytes);
    o.endFrame(at);
  }

  /** A fast Commit or Rollback. */
  private async endTx(req: FastRequest & { kind: "commit" | "rollback" }): Promise<void> {
    const ts = this.calls.tabletServer;
    try {
      if (req.kind === "commit") await ts.commit(req.target, req.transactionId);
      else await ts.rollback(req.target, req.transactionId);
    } catch (e) {
      this.sendError(req.id, e);
      return;
    }
    if (this.closed) return;
    const o = this.turn.output();
    const at = o.beginFrame();
    writeEmptyResponse(o, req.id, req.kind === "commit" ? MUX_COMMIT : MUX_ROLLBACK);
    o.endFrame(at);
  }

  /** A fast Execute, cancellable by cancel_id (or the connection closing): KILL QUERY on MariaDB. */
  private async execute(req: FastRequest & { kind: "execute" }): Promise<void> {
    const id = req.id;
    const cancel = new CallCancel();
    this.streams.set(id, cancel);
    let r: Result;
    try {
      r = await this.calls.tabletServer.execute(req.target, req.sql, req.bindVars, req.transactionId,
        req.clientFoundRows ? FOUND_ROWS : undefined, cancel);
    } catch (e) {
      this.streams.delete(id);
      this.sendError(id, e);
      return;
    }
    this.streams.delete(id);
    this.sendResult(id, MUX_EXECUTE, r, true);
  }

  private dispatchMessage(req: MuxRequest): void {
    const r = req.request;
    const id = req.id;
    switch (r.case) {
      case "execute": return this.unary(id, this.calls.execute(r.value).then((value): Answer => ({ case: "execute", value })));
      case "begin": return this.unary(id, this.calls.begin(r.value).then((value): Answer => ({ case: "begin", value })));
      case "commit": return this.unary(id, this.calls.commit(r.value).then((value): Answer => ({ case: "commit", value })));
      case "rollback": return this.unary(id, this.calls.rollback(r.value).then((value): Answer => ({ case: "rollback", value })));
      case "beginExecute":
        return this.unary(id, this.calls.beginExecute(r.value).then((value): Answer => ({ case: "beginExecute", value })));
      case "streamExecute": void this.stream(id, r.value); return;
      case "cancelId": this.streams.get(r.value)?.abort(); this.credits.get(r.value)?.wake?.(); return;
      case "streamCredit": this.grant(id, Number(r.value)); return;
      default:
        this.sendError(id, new SqlError(1105, "HY000", `Multiplex: unsupported request ${r.case ?? "(none)"}`, "UNIMPLEMENTED"));
    }
  }

  private unary(id: bigint, p: Promise<Answer>): void {
    p.then((answer) => this.sendMessage(id, answer, true), (e: unknown) => this.sendError(id, e));
  }

  /** Adds `n` chunks of credit to stream `id` (or to the stream about to start with that id). */
  private grant(id: bigint, n: number): void {
    let c = this.credits.get(id);
    if (c === undefined) {
      if (id <= this.lastStreamId || this.credits.size >= MAX_EARLY_CREDITS) return;
      c = { n: 0, wake: undefined };
      this.credits.set(id, c);
    }
    c.n += n;
    const w = c.wake;
    c.wake = undefined;
    w?.();
  }

  private async stream(id: bigint, req: StreamExecuteRequest): Promise<void> {
    const ac = new AbortController();
    this.streams.set(id, ac);
    if (id > this.lastStreamId) this.lastStreamId = id;
    const credit = this.credits.get(id);
    try {
      const it = this.calls.tabletServer.streamExecute(req.target, req.query?.sql ?? "",
        bindVariablesFromProto(req.query?.bindVariables ?? {}), req.transactionId, req.options);
      for await (const r of it) {
        if (credit !== undefined) {
          while (credit.n <= 0 && !ac.signal.aborted && !this.closed) await new Promise<void>((w) => { credit.wake = w; });
          credit.n--;
        }
        if (ac.signal.aborted || this.closed) return;
        this.sendResult(id, MUX_STREAM_EXECUTE, r, false);
        this.turn.flush(); // chunks are big: write now, then wait while the socket is full
        if (this.sock.writableNeedDrain) await this.drained();
      }
      this.sendResult(id, MUX_STREAM_EXECUTE, undefined, true);
    } catch (e) {
      this.sendError(id, e);
    } finally {
      this.streams.delete(id);
      this.credits.delete(id);
    }
  }

  private drained(): Promise<void> {
    return new Promise((ok) => {
      const done = () => { this.sock.off("drain", done); this.sock.off("close", done); ok(); };
      this.sock.once("drain", done);
      this.sock.once("close", done);
    });
  }

  private sendResult(id: bigint, field: number, r: Result | undefined, last: boolean): void {
    if (this.closed) return;
    const o = this.turn.output();
    const at = o.beginFrame();
    writeResultResponse(o, id, field, r, last, this.fieldBytes);
    o.endFrame(at);
  }

  private sendError(id: bigint, e: unknown): void {
    this.sendMessage(id, { case: "error", value: toRpcError(e) }, true);
  }

  private sendMessage(id: bigint, response: Answer, last: boolean): void {
    if (this.closed) return;
    this.turn.frame(toBinary(MuxResponseSchema, { $typeName: "query.MuxResponse", id, response, last }));
  }
}
