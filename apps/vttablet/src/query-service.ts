import { create } from "@bufbuild/protobuf";
import type { GenService } from "@bufbuild/protobuf/codegenv2";
import type { ServiceImpl } from "@vt/rpc";
import type { Query } from "@vt/proto/queryservice";
import {
  BeginExecuteResponseSchema, BeginResponseSchema, GetSchemaResponseSchema, SchemaTableType, type GetSchemaRequest, CommitResponseSchema, ExecuteResponseSchema, RollbackResponseSchema,
  StreamExecuteResponseSchema, type BeginExecuteRequest, type BeginExecuteResponse, type BeginRequest,
  type BeginResponse, type CommitRequest, type CommitResponse, type ExecuteRequest, type ExecuteResponse,
  type RollbackRequest, type RollbackResponse, type StreamExecuteRequest, type StreamExecuteResponse,
} from "@vt/proto/query";
import { bindVariablesFromProto, resultToProto } from "@vt/sqltypes";
import { twoPcHandlers } from "./two-pc-calls.js";
import type { HealthStreamer } from "./health-streamer.js";
import type { SchemaEngine } from "./schema-engine.js";
import { toRpcError } from "./rpc-error.js";
import type { TabletServer } from "./tablet-server.js";

/** The proto-level calls of service Query, shared by the unary RPCs and the Multiplex stream. */
export class QueryCalls {
  constructor(private readonly ts: TabletServer, private readonly alias: { cell: string; uid: number }) {}

  /** The tablet server behind these calls. */
  get tabletServer(): TabletServer { return this.ts; }

  /** Execute. */
  async execute(req: ExecuteRequest): Promise<ExecuteResponse> {
    const r = await this.ts.execute(req.target, req.query?.sql ?? "", bindVariablesFromProto(req.query?.bindVariables ?? {}),
      req.transactionId, req.options);
    return create(ExecuteResponseSchema, { result: resultToProto(r) });
  }

  /** StreamExecute: the first message carries the fields, later ones rows. */
  async *streamExecute(req: StreamExecuteRequest): AsyncIterable<StreamExecuteResponse> {
    const it = this.ts.streamExecute(req.target, req.query?.sql ?? "",
      bindVariablesFromProto(req.query?.bindVariables ?? {}), req.transactionId, req.options);
    for await (const r of it) yield create(StreamExecuteResponseSchema, { result: resultToProto(r) });
  }

  /** Begin. */
  async begin(req: BeginRequest): Promise<BeginResponse> {
    const transactionId = await this.ts.begin(req.target, req.options);
    return create(BeginResponseSchema, { transactionId, tabletAlias: this.alias });
  }

  /** Commit. */
  async commit(req: CommitRequest): Promise<CommitResponse> {
    await this.ts.commit(req.target, req.transactionId);
    return create(CommitResponseSchema, {});
  }

  /** Rollback. */
  async rollback(req: RollbackRequest): Promise<RollbackResponse> {
    await this.ts.rollback(req.target, req.transactionId);
    return create(RollbackResponseSchema, {});
  }

  /** BeginExecute: a query error is returned in `error` together with the transaction id. */
  async beginExecute(req: BeginExecuteRequest): Promise<BeginExecuteResponse> {
    const out = await this.ts.beginExecute(req.target, req.query?.sql ?? "",
      bindVariablesFromProto(req.query?.bindVariables ?? {}), req.options, req.preQueries);
    return create(BeginExecuteResponseSchema, {
      transactionId: out.transactionId, tabletAlias: this.alias,
      ...(out.result ? { result: resultToProto(out.result) } : {}),
      ...(out.error ? { error: toRpcError(out.error) } : {}),
    });
  }
}

type QueryMethods = typeof Query extends GenService<infer S> ? S : never;

/** Unary and server-streaming handlers of service Query (Multiplex is added separately). */
export function queryHandlers(calls: QueryCalls, health: HealthStreamer, schema?: SchemaEngine): Partial<ServiceImpl<QueryMethods>> {
  const handlers: Partial<ServiceImpl<QueryMethods>> = {
    execute: (req) => calls.execute(req),
    streamExecute: (req) => calls.streamExecute(req),
    begin: (req) => calls.begin(req),
    commit: (req) => calls.commit(req),
    rollback: (req) => calls.rollback(req),
    beginExecute: (req) => calls.beginExecute(req),
    ...twoPcHandlers(calls.tabletServer),
    streamHealth: (_req, ctx) => health.stream(ctx.signal),
  };
  // GetSchema (a server stream; tables, as vtgate's schema tracker asks): table name → CREATE TABLE text; unknown names are left
  // out, so the tracker can tell a dropped table.
  if (schema) {
    handlers.getSchema = async function* (req: GetSchemaRequest) {
      yield create(GetSchemaResponseSchema, {
        tableDefinition: Object.fromEntries(req.tableType === SchemaTableType.VIEWS || req.tableType === SchemaTableType.UDFS
          ? [] : await schema.definitions(req.tableNames)),
      });
    };
  }
  return handlers;
}
