import type * as grpc from "@grpc/grpc-js";
import { SqlError, VT_CODES, type VtCode } from "@vt/errors";

const SUFFIX = / \(errno (\d+)\) \(sqlstate ([0-9A-Z]{5})\)$/;

/**
 * Reads errno/SQLSTATE back from a Vitess-style wire message ("... (errno 1146) (sqlstate 42S02)") and strips them.
 * Without the suffix the error is 1105/HY000.
 */
function splitMessage(message: string): { message: string; errno: number; sqlState: string } {
  const m = SUFFIX.exec(message);
  if (m === null) return { message, errno: 1105, sqlState: "HY000" };
  return { message: message.slice(0, m.index), errno: Number(m[1]), sqlState: m[2]! };
}

const vtCodeName = (n: number): VtCode => VT_CODES[n] ?? "UNKNOWN";

/** A vtrpc.RPCError (Multiplex error frame, BeginExecute error) as a SqlError. */
export function fromRpcError(e: { code: number; message: string }): SqlError {
  const s = splitMessage(e.message);
  return new SqlError(s.errno, s.sqlState, s.message, vtCodeName(e.code));
}

/** gRPC status code → vtrpc code name (they share numbers 0..16). */
const grpcToVtCode = (code: number): VtCode => (code >= 0 && code <= 16 ? vtCodeName(code) : "UNKNOWN");

/**
 * A grpc-js error as a SqlError. errno/SQLSTATE come from the `vt-errno`/`vt-sqlstate` metadata or the message
 * suffix; transport failures (no status from the tablet) are 2013/HY000 with vtCode UNAVAILABLE.
 */
export function fromGrpcError(reason: unknown): SqlError {
  const e = reason as Partial<grpc.ServiceError>;
  if (typeof e?.code !== "number") return SqlError.from(reason, "UNAVAILABLE");
  const details = e.details ?? e.message ?? "";
  const s = splitMessage(details);
  const md = e.metadata;
  const errno = Number(md?.get("vt-errno")[0] ?? s.errno);
  const sqlState = String(md?.get("vt-sqlstate")[0] ?? s.sqlState);
  const vtCode = (md?.get("vt-code")[0] as VtCode | undefined) ?? grpcToVtCode(e.code);
  if (md?.get("vt-errno")[0] === undefined && SUFFIX.exec(details) === null && (e.code === 14 || e.code === 4 || e.code === 1)) {
    return new SqlError(2013, "HY000", `vttablet: ${details}`, vtCode, { cause: reason });
  }
  return new SqlError(errno, sqlState, s.message, vtCode, { cause: reason });
}
