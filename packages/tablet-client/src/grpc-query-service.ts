import * as grpc from "@grpc/grpc-js";
import { SqlError } from "@vt/errors";
import { create, fromBinary, toBinary, type DescMessage, type DescMethod, type MessageShape } from "@bufbuild/protobuf";
import { Query } from "@vt/proto/queryservice";
import {
  BeginExecuteRequestSchema, BeginRequestSchema, CommitPreparedRequestSchema, CommitRequestSchema,
  ConcludeTransactionRequestSchema, CreateTransactionRequestSchema, ExecuteRequestSchema, PrepareRequestSchema,
  ReadTransactionRequestSchema, RollbackPreparedRequestSchema, RollbackRequestSchema, SetRollbackRequestSchema,
  StartCommitRequestSchema, StreamExecuteRequestSchema, TargetSchema, UnresolvedTransactionsRequestSchema,
  type BeginExecuteResponse, type ReadTransactionResponse, type StreamHealthResponse,
  type TransactionMetadata as PbTransactionMetadata, type UnresolvedTransactionsResponse,
} from "@vt/proto/query";
import { bindVariablesToProto, resultFromProto, type BindVariable, type Result } from "@vt/sqltypes";

import { MuxClient } from "./mux-client.js";
import { MuxSocketClient } from "./mux-socket-client.js";
import { MUX_COMMIT, MUX_ROLLBACK } from "./mux-fast-codec.js";
import { RPCErrorSchema } from "@vt/proto/vtrpc";
import type { BeginExecuteResult, ExecuteOptions, QueryService, TabletAlias, Target, TransactionMetadata } from "./query-service.js";
import { fromGrpcError, fromRpcError } from "./rpc-error.js";

/** Options of {@link GrpcQueryService}. */
export interface GrpcQueryServiceOptions {
  /** Use the multiplexed bidi stream for execute/begin/commit/rollback/beginExecute/streamExecute. Default true. */
  multiplex?: boolean;
  /** Per-call deadline for unary calls, in ms. Default 0 (none). */
  timeoutMs?: number;
  /**
   * The tablet's mux port ("host:port", the Tablet record's port_map "mux"): when set (and `multiplex` is not
   * false), the multiplexed calls ride a plain TCP connection with length-prefixed frames instead of gRPC.
   */
  muxAddress?: string;
}

const ser = (s: DescMessage) => (m: MessageShape<DescMessage>): Buffer => {
  const u = toBinary(s, m);
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
};
const de = (s: DescMessage) => (b: Buffer) => fromBinary(s, b);
const method = (name: string): DescMethod => Query.methods.find((m) => m.localName === name)!;

const pbTarget = (t: Target) => create(TargetSchema, { keyspace: t.keyspace, shard: t.shard, tabletType: t.tabletType, cell: t.cell ?? "" });
const pbQuery = (sql: string, bv: Readonly<Record<string, BindVariable>>) => ({ sql, bindVariables: bindVariablesToProto(bv) });
const alias = (a: { cell: string; uid: number } | undefined): TabletAlias | undefined => (a ? { cell: a.cell, uid: a.uid } : undefined);

/**
 * Whether `o` fits the mux port's hand-written codec: false for no options, true/false for options that set nothing
 * but clientFoundRows, undefined when other options are set (protobuf-es then encodes the request).
 */
function fastFoundRows(o: ExecuteOptions | undefined): boolean | undefined {
  if (o === undefined) return false;
  for (const k in o) {
    if (k !== "clientFoundRows" && (o as Record<string, unknown>)[k] !== undefined) return undefined;
  }
  return o.clientFoundRows === true;
}

function beginExecuteResult(r: BeginExecuteResponse): BeginExecuteResult {
  const out: BeginExecuteResult = { transactionId: r.transactionId };
  const a = alias(r.tabletAlias);
  if (a) out.tabletAlias = a;
  if (r.result) out.result = resultFromProto(r.result);
  if (r.error && r.error.code !== 0) out.error = fromRpcError(r.error);
  return out;
}

/**
 * QueryService over gRPC to one vttablet. By default every query call rides ONE multiplexed `Multiplex` stream
 * (the hot path) — or, given `muxAddress`, one plain TCP connection to the tablet's mux port carrying the same
 * frames (cheaper: no HTTP/2, hand-written codec for Execute); with `multiplex: false` it uses Vitess's
 * unary/server-streaming RPCs. streamHealth and the 2PC calls are always gRPC. Errors are SqlErrors (MariaDB errno/SQLSTATE kept; UNAVAILABLE when the tablet is unreachable).
 */
export class GrpcQueryService implements QueryService {
  private readonly client: grpc.Client;
  private readonly mux: MuxClient | MuxSocketClient | undefined;
  private readonly sock: MuxSocketClient | undefined;

  /**
   * Whether streamExecute has per-call flow control: true over the mux port (credit-based streams) and over plain
   * gRPC server streams (HTTP/2 flow control); false over the gRPC Multiplex stream, where one slow stream would
   * stall every call sharing it.
   */
  get flowControlledStreams(): boolean {
    return this.sock !== undefined || this.mux === undefined;
  }

  constructor(readonly address: string, private readonly opts: GrpcQueryServiceOptions = {}) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 64 * 1024 * 1024,
      "grpc.initial_reconnect_backoff_ms": 200,
      "grpc.max_reconnect_backoff_ms": 2000,
    });
    if (opts.multiplex !== false && opts.muxAddress) {
      const at = opts.muxAddress.lastIndexOf(":");
      this.sock = new MuxSocketClient(opts.muxAddress.slice(0, at), Number(opts.muxAddress.slice(at + 1)));
    }
    this.mux = opts.multiplex === false ? undefined : this.sock ?? new MuxClient(this.client);
  }

  execute(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>, transactionId: bigint,
    options?: ExecuteOptions, signal?: AbortSignal): Promise<Result> {
    // The hot path: no async frame of its own.
    if (this.sock !== undefined) {
      const foundRows = fastFoundRows(options);
      if (foundRows !== undefined) return this.sock.execute(target, sql, bindVars, transactionId, foundRows, signal);
    }
    return this.executeMessage(target, sql, bindVars, transactionId, options);
  }

  executeWith(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>, signal: AbortSignal | undefined,
    ok: (r: Result) => void, fail: (e: SqlError) => void): void {
    if (this.sock !== undefined) {
      this.sock.executeWith(target, sql, bindVars, signal, ok, fail);
      return;
    }
    this.executeMessage(target, sql, bindVars, 0n).then(ok, (e: unknown) => fail(SqlError.from(e)));
  }

  private async executeMessage(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>,
    transactionId: bigint, options?: ExecuteOptions): Promise<Result> {
    const req = create(ExecuteRequestSchema, { target: pbTarget(target), query: pbQuery(sql, bindVars), transactionId, options });
    if (this.mux) {
      const r = await this.mux.unary({ case: "execute", value: req });
      return r.response.case === "execute" && r.response.value.result ? resultFromProto(r.response.value.result) : emptyOf();
    }
    const r = await this.unary("execute", req) as { result?: Parameters<typeof resultFromProto>[0] };
    return r.result ? resultFromProto(r.result) : emptyOf();
  }

  async *streamExecute(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>,
    transactionId: bigint, options?: ExecuteOptions): AsyncIterable<Result> {
    const req = create(StreamExecuteRequestSchema, { target: pbTarget(target), query: pbQuery(sql, bindVars), transactionId, options });
    if (this.sock !== undefined) {
      yield* this.sock.streamResults({ case: "streamExecute", value: req });
      return;
    }
    if (this.mux) {
      for await (const r of this.mux.stream({ case: "streamExecute", value: req })) {
        if (r.response.case === "streamExecute" && r.response.value.result) yield resultFromProto(r.response.value.result);
      }
      return;
    }
    for await (const r of this.serverStream("streamExecute", req)) {
      const m = r as { result?: Parameters<typeof resultFromProto>[0] };
      if (m.result) yield resultFromProto(m.result);
    }
  }

  async begin(target: Target, options?: ExecuteOptions): Promise<{ transactionId: bigint; tabletAlias?: TabletAlias }> {
    const req = create(BeginRequestSchema, { target: pbTarget(target), options });
    const r = this.mux ? (await this.mux.unary({ case: "begin", value: req })).response.value : await this.unary("begin", req);
    const b = r as { transactionId: bigint; tabletAlias?: { cell: string; uid: number } };
    const a = alias(b.tabletAlias);
    return a ? { transactionId: b.transactionId, tabletAlias: a } : { transactionId: b.transactionId };
  }

  async commit(target: Target, transactionId: bigint): Promise<void> {
    if (this.sock !== undefined) return this.sock.endTransaction(MUX_COMMIT, target, transactionId);
    const req = create(CommitRequestSchema, { target: pbTarget(target), transactionId });
    if (this.mux) await this.mux.unary({ case: "commit", value: req });
    else await this.unary("commit", req);
  }

  async rollback(target: Target, transactionId: bigint): Promise<void> {
    if (this.sock !== undefined) return this.sock.endTransaction(MUX_ROLLBACK, target, transactionId);
    const req = create(RollbackRequestSchema, { target: pbTarget(target), transactionId });
    if (this.mux) await this.mux.unary({ case: "rollback", value: req });
    else await this.unary("rollback", req);
  }

  async beginExecute(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>,
    options?: ExecuteOptions, preQueries: readonly string[] = []): Promise<BeginExecuteResult> {
    const foundRows = this.sock !== undefined ? fastFoundRows(options) : undefined;
    if (this.sock !== undefined && foundRows !== undefined) {
      const w = await this.sock.beginExecute(target, sql, bindVars, preQueries, foundRows);
      const out: BeginExecuteResult = { transactionId: w.transactionId };
      if (w.tabletAlias) out.tabletAlias = w.tabletAlias;
      if (w.result) out.result = w.result;
      if (w.error) {
        const e = fromBinary(RPCErrorSchema, w.error);
        if (e.code !== 0) out.error = fromRpcError(e);
      }
      return out;
    }
    const req = create(BeginExecuteRequestSchema, { target: pbTarget(target), query: pbQuery(sql, bindVars), options,
      preQueries: [...preQueries] });
    const r = this.mux ? (await this.mux.unary({ case: "beginExecute", value: req })).response.value : await this.unary("beginExecute", req);
    return beginExecuteResult(r as BeginExecuteResponse);
  }

  // 2PC calls are rare: always Vitess's unary RPCs, never the multiplexed stream.

  async prepare(target: Target, transactionId: bigint, dtid: string): Promise<void> {
    await this.unary("prepare", create(PrepareRequestSchema, { target: pbTarget(target), transactionId, dtid }));
  }

  async commitPrepared(target: Target, dtid: string): Promise<void> {
    await this.unary("commitPrepared", create(CommitPreparedRequestSchema, { target: pbTarget(target), dtid }));
  }

  async rollbackPrepared(target: Target, dtid: string, transactionId: bigint): Promise<void> {
    await this.unary("rollbackPrepared", create(RollbackPreparedRequestSchema, { target: pbTarget(target), dtid, transactionId }));
  }

  async createTransaction(target: Target, dtid: string, participants: readonly Target[]): Promise<void> {
    await this.unary("createTransaction", create(CreateTransactionRequestSchema, {
      target: pbTarget(target), dtid, participants: participants.map(pbTarget),
    }));
  }

  async startCommit(target: Target, transactionId: bigint, dtid: string): Promise<void> {
    await this.unary("startCommit", create(StartCommitRequestSchema, { target: pbTarget(target), transactionId, dtid }));
  }

  async setRollback(target: Target, dtid: string, transactionId: bigint): Promise<void> {
    await this.unary("setRollback", create(SetRollbackRequestSchema, { target: pbTarget(target), transactionId, dtid }));
  }

  async concludeTransaction(target: Target, dtid: string): Promise<void> {
    await this.unary("concludeTransaction", create(ConcludeTransactionRequestSchema, { target: pbTarget(target), dtid }));
  }

  async readTransaction(target: Target, dtid: string): Promise<TransactionMetadata | undefined> {
    const r = await this.unary("readTransaction", create(ReadTransactionRequestSchema, { target: pbTarget(target), dtid })) as ReadTransactionResponse;
    return r.metadata && r.metadata.dtid !== "" ? metadataFromProto(r.metadata) : undefined;
  }

  async unresolvedTransactions(target: Target, abandonAgeSeconds = 0): Promise<TransactionMetadata[]> {
    const r = await this.unary("unresolvedTransactions", create(UnresolvedTransactionsRequestSchema, {
      target: pbTarget(target), abandonAge: BigInt(Math.round(abandonAgeSeconds)),
    })) as UnresolvedTransactionsResponse;
    return r.transactions.map(metadataFromProto);
  }

  async getSchema(target: Target, tableNames: readonly string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const req = create(method("getSchema").input, { target: pbTarget(target), tableType: 1, tableNames: [...tableNames] });
    for await (const r of this.serverStream("getSchema", req)) Object.assign(out, (r as { tableDefinition: Record<string, string> }).tableDefinition);
    return out;
  }

  streamHealth(): AsyncIterable<StreamHealthResponse> {
    return this.serverStream("streamHealth", create(method("streamHealth").input, {})) as AsyncIterable<StreamHealthResponse>;
  }

  close(): void {
    this.mux?.close();
    this.client.close();
  }

  private deadline(): grpc.CallOptions {
    return this.opts.timeoutMs ? { deadline: Date.now() + this.opts.timeoutMs } : {};
  }

  private unary(name: string, req: MessageShape<DescMessage>): Promise<unknown> {
    const m = method(name);
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(`/${Query.typeName}/${m.name}`, ser(m.input), de(m.output), req, new grpc.Metadata(),
        this.deadline(), (err, res) => (err ? reject(fromGrpcError(err)) : resolve(res)));
    });
  }

  private async *serverStream(name: string, req: MessageShape<DescMessage>): AsyncIterable<unknown> {
    const m = method(name);
    const call = this.client.makeServerStreamRequest(`/${Query.typeName}/${m.name}`, ser(m.input), de(m.output), req,
      new grpc.Metadata(), {});
    let done = false;
    try {
      for await (const r of call) yield r;
      done = true;
    } catch (e) {
      throw fromGrpcError(e);
    } finally {
      if (!done) call.cancel();
    }
  }
}

function metadataFromProto(m: PbTransactionMetadata): TransactionMetadata {
  return {
    dtid: m.dtid, state: m.state, timeCreated: m.timeCreated,
    participants: m.participants.map((p) => ({ keyspace: p.keyspace, shard: p.shard, tabletType: p.tabletType })),
  };
}

function emptyOf(): Result {
  return { fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" };
}

