/** Vitess vtrpc.Code names (mirrors proto/vtrpc.proto `Code`). */
export const VT_CODES = [
  "OK", "CANCELED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
  "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
  "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED", "CLUSTER_EVENT", "READ_ONLY",
] as const;
export type VtCode = (typeof VT_CODES)[number];

/**
 * An error with MySQL's errno and SQLSTATE, as it goes on the wire to a MySQL client.
 * Errors from MariaDB keep their errno/SQLSTATE end to end (never re-parsed out of message text).
 */
export class SqlError extends Error {
  override readonly name = "SqlError";
  constructor(
    readonly errno: number,
    readonly sqlState: string,
    message: string,
    readonly vtCode: VtCode = "UNKNOWN",
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** Normalizes anything caught into a SqlError: passes SqlErrors through, wraps the rest (keeping cause). */
  static from(reason: unknown, fallbackCode: VtCode = "UNKNOWN"): SqlError {
    if (isSqlError(reason)) return reason;
    if (reason instanceof Error) {
      const r = reason as Error & { errno?: unknown; sqlState?: unknown; code?: unknown };
      if (typeof r.errno === "number" && typeof r.sqlState === "string") {
        return new SqlError(r.errno, r.sqlState, r.message, fallbackCode, { cause: reason });
      }
      if (reason.name === "AbortError" || reason.name === "TimeoutError") {
        return new SqlError(1317, "70100", reason.message || "Query execution was interrupted", "CANCELED", { cause: reason });
      }
      return new SqlError(1105, "HY000", reason.message, fallbackCode, { cause: reason });
    }
    return new SqlError(1105, "HY000", String(reason), fallbackCode);
  }

  static override [Symbol.hasInstance](v: unknown): boolean {
    return isSqlError(v);
  }
}

/** Shape-based guard: works when two copies of this package are loaded. */
export function isSqlError(v: unknown): v is SqlError {
  return (
    typeof v === "object" && v !== null && (v as { name?: unknown }).name === "SqlError" &&
    typeof (v as { errno?: unknown }).errno === "number" && typeof (v as { sqlState?: unknown }).sqlState === "string"
  );
}
