import type * as grpc from "@grpc/grpc-js";
import { SqlError, VT_CODES, type VtCode } from "@vt/errors";
import { MD_ERRNO, statusToError } from "@vt/rpc";

const vtCodeName = (n: number): VtCode => VT_CODES[n] ?? "UNKNOWN";

/**
 * A vtrpc.RPCError (Multiplex error frame, BeginExecute error) as a SqlError: errno/SQLSTATE from the RPCError's own
 * fields, 1105/HY000 when the sender left them unset.
 */
export function fromRpcError(e: { code: number; message: string; errno?: number; sqlstate?: string }): SqlError {
  const known = (e.errno ?? 0) !== 0 && (e.sqlstate ?? "") !== "";
  return new SqlError(known ? e.errno! : 1105, known ? e.sqlstate! : "HY000", e.message, vtCodeName(e.code));
}

/**
 * A grpc-js error as a SqlError. errno/SQLSTATE/vtCode come from @vt/rpc's `x-vt-*` status metadata; transport
 * failures (no status from the tablet: UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED without metadata) are
 * 2013/HY000 with vtCode UNAVAILABLE.
 */
export function fromGrpcError(reason: unknown): SqlError {
  const e = reason as Partial<grpc.ServiceError>;
  if (typeof e?.code !== "number") return SqlError.from(reason, "UNAVAILABLE");
  const fromTablet = e.metadata?.get(MD_ERRNO)[0] !== undefined;
  if (!fromTablet && (e.code === 14 || e.code === 4 || e.code === 1)) {
    return new SqlError(2013, "HY000", `vttablet: ${e.details ?? e.message ?? ""}`, vtCodeName(e.code), { cause: reason });
  }
  const err = statusToError(e);
  return err instanceof SqlError ? new SqlError(err.errno, err.sqlState, err.message, err.vtCode, { cause: reason })
    : new SqlError(1105, "HY000", err.message, "UNKNOWN", { cause: reason });
}
