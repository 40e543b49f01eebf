import * as net from "node:net";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { SqlError } from "@vt/errors";
import { MuxRequestSchema, type MuxRequest, type MuxResponse } from "@vt/proto/query";
import { RPCErrorSchema } from "@vt/proto/vtrpc";
import type { BindVariable, Result } from "@vt/sqltypes";
import { FrameQueue } from "./frame-queue.js";
import { FrameReader } from "./frame-reader.js";
import type { MuxCallBody } from "./mux-client.js";
import { decodeMuxResponse } from "./mux-codec.js";
import {
  FieldCache, MUX_BEGIN_EXECUTE, MUX_ERROR, MUX_EXECUTE, MUX_STREAM_EXECUTE, readBeginExecuteResponse, readMuxHead, readResultHolder, writeBeginExecuteRequest,
  writeExecuteRequest, writeTxEndRequest, type MUX_COMMIT, type MUX_ROLLBACK, type WireBeginExecute, type WireTarget,
} from "./mux-fast-codec.js";
import { TurnWriter } from "./turn-writer.js";
import { fromRpcError } from "./rpc-error.js";

/** How a pending call wants its answer frames. */
interface Pending {
  /**
   * 0: the protobuf-es MuxResponse; MUX_EXECUTE: a Result decoded straight from an Execute answer;
   * MUX_BEGIN_EXECUTE: a WireBeginExecute; MUX_COMMIT/MUX_ROLLBACK: undefined; MUX_STREAM_EXECUTE: a
   * {@link StreamChunk}.
   */
  readonly fast: number;
  frame(value: unknown): void;
  fail(err: SqlError): void;
  /** The caller's abort signal (execute): aborting it cancels the call while it is pending. */
  readonly signal?: AbortSignal | undefined;
}

/** One StreamExecute answer frame, decoded straight to sqltypes. */
interface StreamChunk {
  readonly result: Result | undefined;
  readonly last: boolean;
}

/** Result chunks a credit-based stream may have in flight (granted but not yet consumed). */
export const DEFAULT_STREAM_WINDOW = 4;

/** The error an aborted call rejects with: the signal's SqlError reason, else 1317 interrupted. */
function abortReason(signal: AbortSignal): SqlError {
  return signal.reason instanceof SqlError ? signal.reason : new SqlError(1317, "70100", "Query execution was interrupted", "CANCELED");
}

/**
 * Read buffers for one connection: each read gets the unused tail of a 256 KiB slab (a new slab once less than 64 KiB
 * is left), and what was read is never overwritten, so frames and the row values viewing them stay valid.
 */
class ReadSlab {
  private buf = Buffer.allocUnsafe(SLAB_SIZE);
  private off = 0;

  /** The buffer for the next read. */
  next(): Buffer {
    if (this.buf.length - this.off < MIN_READ) {
      this.buf = Buffer.allocUnsafe(SLAB_SIZE);
      this.off = 0;
    }
    return this.buf.subarray(this.off);
  }

  /** The `n` bytes just read into `b` (the buffer next() gave); later reads go after them. */
  took(b: Uint8Array, n: number): Buffer {
    this.off += n;
    return Buffer.from(b.buffer, b.byteOffset, n);
  }
}

const SLAB_SIZE = 256 * 1024;
const MIN_READ = 64 * 1024;

const closedError = () => new SqlError(2013, "HY000", "tablet connection closed", "UNAVAILABLE");
const emptyResult = (): Result => ({ fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" });

/**
 * Many concurrent calls over one plain TCP connection to a vttablet's mux port: length-prefixed MuxRequest /
 * MuxResponse protobuf frames tagged by id (the same messages as the gRPC Multiplex stream, without HTTP/2 and
 * grpc-js around them). Execute requests and answers take a hand-written codec straight from/to @vt/sqltypes;
 * everything produced in one event-loop turn goes out in one socket write. The connection opens on first use;
 * when it breaks, every call in flight fails with 2013/UNAVAILABLE and the next call reconnects.
 */
export class MuxSocketClient {
  private socket: net.Socket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Execute answers repeat their columns: decoded once per distinct field (shared, frozen Field objects). */
  private readonly fields = new FieldCache();
  /**
   * Abort signals this client listens to. A signal gets one listener for its lifetime (vtgate reuses a session's
   * signal across statements), not one per call: on abort it cancels the calls still pending under it (found by
   * scanning the pending calls: aborts are rare, calls are not, so a call costs no bookkeeping of its own).
   */
  private readonly watched = new WeakSet<AbortSignal>();
  private readonly turn = new TurnWriter((b) => { if (!this.closed) this.ensureSocket().write(b); });
  private closed = false;

  constructor(readonly host: string, readonly port: number) {}

  /**
   * Execute without options (but options.client_found_rows when `foundRows`): resolves with the Result, rejects with
   * the tablet's SqlError. When `signal` aborts first, the call is cancelled (cancel_id, so the tablet kills the
   * MariaDB statement) and rejects with the signal's reason (1317 interrupted unless that is a SqlError).
   */
  execute(target: WireTarget, sql: string, bindVars: Readonly<Record<string, BindVariable>>, transactionId: bigint,
    foundRows = false, signal?: AbortSignal): Promise<Result> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => { this.sendExecute(target, sql, bindVars, transactionId, foundRows, signal, resolve, reject); });
  }

  /** execute() outside a transaction, without options, in callback form (QueryService.executeWith): no promise. */
  executeWith(target: WireTarget, sql: string, bindVars: Readonly<Record<string, BindVariable>>, signal: AbortSignal | undefined,
    ok: (r: Result) => void, fail: (e: SqlError) => void): void {
    if (signal?.aborted) { fail(abortReason(signal)); return; }
    this.sendExecute(target, sql, bindVars, 0n, false, signal, ok, fail);
  }

  /** Registers an Execute call answered through `ok`/`fail` and writes its request into this turn's output. */
  private sendExecute(target: WireTarget, sql: string, bindVars: Readonly<Record<string, BindVariable>>, transactionId: bigint,
    foundRows: boolean, signal: AbortSignal | undefined, ok: (r: Result) => void, fail: (e: SqlError) => void): void {
    const id = this.register({ fast: MUX_EXECUTE, frame: ok as (v: unknown) => void, fail, signal });
    if (id === 0) return;
    if (signal !== undefined && !this.watched.has(signal)) this.watch(signal);
    const o = this.turn.output();
    const at = o.beginFrame();
    writeExecuteRequest(o, BigInt(id), target, sql, bindVars, transactionId, foundRows);
    o.endFrame(at);
  }

  /** Adds the signal's one abort listener: it cancels (cancel_id) and fails every call still pending under it. */
  private watch(signal: AbortSignal): void {
    this.watched.add(signal);
    signal.addEventListener("abort", () => {
      const err = abortReason(signal);
      for (const [callId, p] of this.pending) {
        if (p.signal !== signal) continue;
        this.pending.delete(callId);
        this.writeMessage({ $typeName: "query.MuxRequest", id: 0n, request: { case: "cancelId", value: BigInt(callId) } });
        p.fail(err);
      }
    }, { once: true });
  }

  /**
   * BeginExecute without options (but options.client_found_rows when `foundRows`): resolves with the answer (a query
   * error comes back in it, not as a rejection).
   */
  beginExecute(target: WireTarget, sql: string, bindVars: Readonly<Record<string, BindVariable>>,
    preQueries: readonly string[], foundRows = false): Promise<WireBeginExecute> {
    return new Promise((resolve, reject) => {
      const id = this.register({ fast: MUX_BEGIN_EXECUTE, frame: resolve as (v: unknown) => void, fail: reject });
      if (id === 0) return;
      const o = this.turn.output();
      const at = o.beginFrame();
      writeBeginExecuteRequest(o, BigInt(id), target, sql, bindVars, preQueries, foundRows);
      o.endFrame(at);
    });
  }

  /** Commit (MUX_COMMIT) or Rollback (MUX_ROLLBACK) of a transaction. */
  endTransaction(field: typeof MUX_COMMIT | typeof MUX_ROLLBACK, target: WireTarget, transactionId: bigint): Promise<void> {
    return new Promise((resolve, reject) => {
      const id = this.register({ fast: field, frame: resolve as (v: unknown) => void, fail: reject });
      if (id === 0) return;
      const o = this.turn.output();
      const at = o.beginFrame();
      writeTxEndRequest(o, BigInt(id), field, target, transactionId);
      o.endFrame(at);
    });
  }

  /** Sends any MuxRequest body and resolves with its single answer frame. Throws the call's SqlError. */
  unary(body: MuxCallBody): Promise<MuxResponse> {
    return new Promise((resolve, reject) => {
      const id = this.register({ fast: 0, frame: resolve as (v: unknown) => void, fail: reject });
      if (id !== 0) this.writeMessage({ $typeName: "query.MuxRequest", id: BigInt(id), request: body });
    });
  }

  /** Sends a streaming request; yields its answer frames. Breaking out sends cancel_id. */
  async *stream(body: MuxCallBody): AsyncIterable<MuxResponse> {
    const q = new FrameQueue<MuxResponse>();
    const id = this.register({
      fast: 0,
      frame: (v) => { const r = v as MuxResponse; if (r.response.case !== undefined) q.push(r); if (r.last) q.end(); },
      fail: (e) => q.end(e),
    });
    if (id === 0) { for await (const r of q) yield r; return; }
    this.writeMessage({ $typeName: "query.MuxRequest", id: BigInt(id), request: body });
    let finished = false;
    try {
      for await (const r of q) yield r;
      finished = true;
    } finally {
      if (!finished && this.pending.delete(id)) {
        this.writeMessage({ $typeName: "query.MuxRequest", id: 0n, request: { case: "cancelId", value: BigInt(id) } });
      }
    }
  }

  /**
   * A credit-based StreamExecute (or any streaming body answered with stream_execute frames): grants `window` chunks
   * (a stream_credit frame sent ahead of the request, in the same write), yields each chunk's Result decoded straight
   * to sqltypes, and grants more as the consumer takes them, so at most `window` chunks of this stream are ever
   * buffered here and the tablet stops reading from MariaDB while the consumer is slow, without stalling the other
   * calls on the connection. Breaking out (or an error) sends cancel_id.
   */
  async *streamResults(body: MuxCallBody, window = DEFAULT_STREAM_WINDOW): AsyncIterable<Result> {
    const q = new FrameQueue<Result>();
    const id = this.register({
      fast: MUX_STREAM_EXECUTE,
      frame: (v) => { const c = v as StreamChunk; if (c.result !== undefined) q.push(c.result); if (c.last) q.end(); },
      fail: (e) => q.end(e),
    });
    if (id === 0) { for await (const r of q) yield r; return; }
    this.writeCredit(id, window);
    this.writeMessage({ $typeName: "query.MuxRequest", id: BigInt(id), request: body });
    const batch = Math.max(1, window >> 1);
    let consumed = 0;
    let finished = false;
    try {
      for await (const r of q) {
        yield r;
        if (++consumed >= batch && this.pending.has(id)) {
          this.writeCredit(id, consumed);
          consumed = 0;
        }
      }
      finished = true;
    } finally {
      if (!finished && this.pending.delete(id)) {
        this.writeMessage({ $typeName: "query.MuxRequest", id: 0n, request: { case: "cancelId", value: BigInt(id) } });
      }
    }
  }

  /** Bytes read from the current connection (0 when none): lets tests see whether a paused stream stopped. */
  get bytesRead(): number {
    return this.socket?.bytesRead ?? 0;
  }

  /** Closes the connection; calls in flight fail with UNAVAILABLE. */
  close(): void {
    this.closed = true;
    this.failAll(closedError());
    this.socket?.destroy();
    this.socket = undefined;
  }

  /** Adds a pending call; returns its id, or 0 (and fails it) when the client is closed. */
  private register(p: Pending): number {
    if (this.closed) { p.fail(closedError()); return 0; }
    const id = this.nextId++;
    this.pending.set(id, p);
    return id;
  }

  /** MuxRequest{id, stream_credit: n}, written by hand (field 1 varint, field 14 varint). */
  private writeCredit(id: number, n: number): void {
    const o = this.turn.output();
    const at = o.beginFrame();
    o.tag(1, 0);
    o.varint(id);
    o.tag(14, 0);
    o.varint(n);
    o.endFrame(at);
  }

  private writeMessage(m: MuxRequest): void {
    this.turn.frame(toBinary(MuxRequestSchema, m));
  }

  private ensureSocket(): net.Socket {
    if (this.socket !== undefined) return this.socket;
    const reader = new FrameReader((f) => this.onFrame(f));
    const slab = new ReadSlab();
    let s: net.Socket | undefined;
    // `onread`: reads land in our slab and come straight here, without the Readable stream machinery per read.
    s = net.connect({
      host: this.host, port: this.port, noDelay: true,
      onread: {
        buffer: () => slab.next(),
        callback: (n: number, buf: Uint8Array): boolean => {
          try {
            reader.push(slab.took(buf, n));
          } catch (e) {
            if (s !== undefined) this.broken(s, new SqlError(2013, "HY000", `tablet mux stream: ${(e as Error).message}`, "UNAVAILABLE"));
          }
          return true;
        },
      },
    });
    this.socket = s;
    const sock = s;
    s.on("error", (e) => this.broken(sock, new SqlError(2013, "HY000", `vttablet: ${e.message}`, "UNAVAILABLE", { cause: e })));
    s.on("close", () => this.broken(sock, new SqlError(2013, "HY000", "tablet closed the mux connection", "UNAVAILABLE")));
    return s;
  }

  private onFrame(b: Buffer): void {
    const h = readMuxHead(b);
    const id = Number(h.id);
    const p = this.pending.get(id);
    if (p === undefined) return;
    if (h.field === MUX_ERROR) {
      this.pending.delete(id);
      p.fail(fromRpcError(fromBinary(RPCErrorSchema, b.subarray(h.start, h.end))));
      return;
    }
    if (h.last) this.pending.delete(id);
    switch (p.fast) {
      case 0: p.frame(decodeMuxResponse(b)); return;
      case MUX_EXECUTE: p.frame(h.field === MUX_EXECUTE ? readResultHolder(b, h.start, h.end, this.fields) ?? emptyResult() : emptyResult()); return;
      case MUX_BEGIN_EXECUTE:
        p.frame(h.field === MUX_BEGIN_EXECUTE ? readBeginExecuteResponse(b, h.start, h.end) : { transactionId: 0n });
        return;
      case MUX_STREAM_EXECUTE: {
        const chunk: StreamChunk = { result: h.field === MUX_STREAM_EXECUTE ? readResultHolder(b, h.start, h.end, this.fields) : undefined, last: h.last };
        p.frame(chunk);
        return;
      }
      default: p.frame(undefined);
    }
  }

  private broken(s: net.Socket, err: SqlError): void {
    if (this.socket !== s) return;
    this.socket = undefined;
    this.turn.drop(); // frames of calls failed below must not reach the next connection
    s.destroy();
    this.failAll(err);
  }

  private failAll(err: SqlError): void {
    const all = [...this.pending];
    this.pending.clear();
    for (const [, p] of all) p.fail(err);
  }
}
