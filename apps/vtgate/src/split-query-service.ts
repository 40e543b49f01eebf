import { SqlError } from "@vt/errors";
import type { BeginExecuteResult, ExecuteOptions, QueryService, TabletAlias, Target, TransactionMetadata } from "@vt/tablet-client";
import type { StreamHealthResponse } from "@vt/proto/query";
import type { BindVariable, Result } from "@vt/sqltypes";

/**
 * One tablet's QueryService for vtgate: short calls ride `fast` (multiplexed: cheap per query). streamExecute rides
 * `fast` too when that has per-call flow control (the mux port's credit-based streams); otherwise (the gRPC
 * Multiplex stream, which cannot pause one call without stalling the others) it goes over `streaming`, a separate
 * server-streaming RPC per call whose HTTP/2 flow control stops the tablet when vtgate stops reading. Either way a
 * million-row result moves at the MySQL client's pace without piling up in vtgate.
 */
export class SplitQueryService implements QueryService {
  constructor(private readonly fast: QueryService & { readonly flowControlledStreams?: boolean }, private readonly streaming: QueryService) {}

  execute(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>, transactionId: bigint,
    options?: ExecuteOptions, signal?: AbortSignal): Promise<Result> {
    return this.fast.execute(target, sql, bindVars, transactionId, options, signal);
  }

  executeWith(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>, signal: AbortSignal | undefined,
    ok: (r: Result) => void, fail: (e: SqlError) => void): void {
    if (this.fast.executeWith !== undefined) this.fast.executeWith(target, sql, bindVars, signal, ok, fail);
    else this.fast.execute(target, sql, bindVars, 0n, undefined, signal).then(ok, (e: unknown) => fail(SqlError.from(e)));
  }

  streamExecute(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>, transactionId: bigint,
    options?: ExecuteOptions): AsyncIterable<Result> {
    return (this.fast.flowControlledStreams === true ? this.fast : this.streaming).streamExecute(target, sql, bindVars, transactionId, options);
  }

  begin(target: Target, options?: ExecuteOptions): Promise<{ transactionId: bigint; tabletAlias?: TabletAlias }> {
    return this.fast.begin(target, options);
  }

  commit(target: Target, transactionId: bigint): Promise<void> {
    return this.fast.commit(target, transactionId);
  }

  rollback(target: Target, transactionId: bigint): Promise<void> {
    return this.fast.rollback(target, transactionId);
  }

  beginExecute(target: Target, sql: string, bindVars: Readonly<Record<string, BindVariable>>,
    options?: ExecuteOptions, preQueries?: readonly string[]): Promise<BeginExecuteResult> {
    return this.fast.beginExecute(target, sql, bindVars, options, preQueries);
  }

  // 2PC calls (unary RPCs on either client)
  prepare(target: Target, transactionId: bigint, dtid: string): Promise<void> { return this.fast.prepare(target, transactionId, dtid); }
  commitPrepared(target: Target, dtid: string): Promise<void> { return this.fast.commitPrepared(target, dtid); }
  rollbackPrepared(target: Target, dtid: string, transactionId: bigint): Promise<void> {
    return this.fast.rollbackPrepared(target, dtid, transactionId);
  }
  createTransaction(target: Target, dtid: string, participants: readonly Target[]): Promise<void> {
    return this.fast.createTransaction(target, dtid, participants);
  }
  startCommit(target: Target, transactionId: bigint, dtid: string): Promise<void> { return this.fast.startCommit(target, transactionId, dtid); }
  setRollback(target: Target, dtid: string, transactionId: bigint): Promise<void> { return this.fast.setRollback(target, dtid, transactionId); }
  concludeTransaction(target: Target, dtid: string): Promise<void> { return this.fast.concludeTransaction(target, dtid); }
  readTransaction(target: Target, dtid: string): Promise<TransactionMetadata | undefined> { return this.fast.readTransaction(target, dtid); }
  unresolvedTransactions(target: Target, abandonAgeSeconds?: number): Promise<TransactionMetadata[]> {
    return this.fast.unresolvedTransactions(target, abandonAgeSeconds);
  }

  getSchema(target: Target, tableNames: readonly string[]): Promise<Record<string, string>> {
    if (!this.streaming.getSchema) return Promise.reject(new Error("GetSchema is not available"));
    return this.streaming.getSchema(target, tableNames);
  }

  streamHealth(): AsyncIterable<StreamHealthResponse> {
    return this.fast.streamHealth();
  }

  close(): void {
    this.fast.close();
    this.streaming.close();
  }
}
