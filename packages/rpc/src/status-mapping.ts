// Error <-> gRPC status mapping. A SqlError keeps errno/SQLSTATE/vtCode across the wire in trailing metadata;
// a TopoError keeps its topo code and node path. Anything else becomes a SqlError 1105/HY000 on the client.
import * as grpc from "@grpc/grpc-js";
import { SqlError, TopoError, VT_CODES, isSqlError, isTopoError, type TopoErrorCode, type VtCode } from "@vt/errors";

/** Metadata keys carrying error details (lower case, as gRPC requires). */
export const MD_ERRNO = "x-vt-errno";
export const MD_SQLSTATE = "x-vt-sqlstate";
export const MD_VTCODE = "x-vt-code";
export const MD_TOPO_CODE = "x-vt-topo-code";
export const MD_TOPO_NODE = "x-vt-topo-node";

const TOPO_TO_GRPC: Readonly<Record<TopoErrorCode, grpc.status>> = {
  NoNode: grpc.status.NOT_FOUND,
  NodeExists: grpc.status.ALREADY_EXISTS,
  NodeNotEmpty: grpc.status.FAILED_PRECONDITION,
  BadVersion: grpc.status.FAILED_PRECONDITION,
  Timeout: grpc.status.DEADLINE_EXCEEDED,
  Interrupted: grpc.status.CANCELLED,
  PartialResult: grpc.status.UNAVAILABLE,
  NoUpdateNeeded: grpc.status.FAILED_PRECONDITION,
  NoImplementation: grpc.status.UNIMPLEMENTED,
  ResourceExhausted: grpc.status.RESOURCE_EXHAUSTED,
};
const TOPO_CODES = new Set<string>(Object.keys(TOPO_TO_GRPC));

/** The gRPC status code for a Vitess vtrpc code (0..16 are identical; the two Vitess extras fold in). */
export function vtCodeToGrpc(code: VtCode): grpc.status {
  switch (code) {
    case "CLUSTER_EVENT":
      return grpc.status.UNAVAILABLE;
    case "READ_ONLY":
      return grpc.status.FAILED_PRECONDITION;
    default:
      return VT_CODES.indexOf(code) as grpc.status;
  }
}

/** The Vitess vtrpc code for a gRPC status code. */
export function grpcToVtCode(code: number): VtCode {
  return code >= 0 && code <= 16 ? (VT_CODES[code] as VtCode) : "UNKNOWN";
}

/** A status with this code thrown from a handler reaches the client unchanged (for non-SQL services). */
export class RpcStatusError extends Error {
  override readonly name = "RpcStatusError";
  constructor(readonly code: grpc.status, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Builds the gRPC status object for anything a handler threw. */
export function errorToStatus(err: unknown): grpc.StatusObject {
  const metadata = new grpc.Metadata();
  if (isSqlError(err)) {
    metadata.set(MD_ERRNO, String(err.errno));
    metadata.set(MD_SQLSTATE, err.sqlState);
    metadata.set(MD_VTCODE, err.vtCode);
    return { code: vtCodeToGrpc(err.vtCode), details: err.message, metadata };
  }
  if (isTopoError(err)) {
    metadata.set(MD_TOPO_CODE, err.code);
    metadata.set(MD_TOPO_NODE, err.node);
    return { code: TOPO_TO_GRPC[err.code] ?? grpc.status.UNKNOWN, details: err.message, metadata };
  }
  if (err instanceof RpcStatusError) return { code: err.code, details: err.message, metadata };
  if (err instanceof Error) {
    if (err.name === "AbortError") return { code: grpc.status.CANCELLED, details: err.message, metadata };
    return { code: grpc.status.UNKNOWN, details: err.message, metadata };
  }
  return { code: grpc.status.UNKNOWN, details: String(err), metadata };
}

function mdString(md: grpc.Metadata | undefined, key: string): string | undefined {
  const v = md?.get(key)[0];
  return v === undefined ? undefined : typeof v === "string" ? v : v.toString();
}

/**
 * Turns a client-side gRPC error back into a typed error: a TopoError when topo metadata is present,
 * otherwise a SqlError (errno/SQLSTATE from metadata, or 1105/HY000 with the vtCode from the gRPC code).
 */
export function statusToError(err: Partial<grpc.StatusObject> & { message?: string }): SqlError | TopoError {
  const md = err.metadata;
  const details = err.details ?? err.message ?? "unknown error";
  const topoCode = mdString(md, MD_TOPO_CODE);
  if (topoCode !== undefined && TOPO_CODES.has(topoCode)) {
    return new TopoError(topoCode as TopoErrorCode, mdString(md, MD_TOPO_NODE) ?? "", details);
  }
  const errno = Number(mdString(md, MD_ERRNO) ?? NaN);
  const sqlState = mdString(md, MD_SQLSTATE);
  const vtCodeMd = mdString(md, MD_VTCODE);
  const vtCode = vtCodeMd !== undefined && (VT_CODES as readonly string[]).includes(vtCodeMd)
    ? (vtCodeMd as VtCode) : grpcToVtCode(err.code ?? grpc.status.UNKNOWN);
  if (Number.isInteger(errno) && sqlState !== undefined) return new SqlError(errno, sqlState, details, vtCode);
  return new SqlError(1105, "HY000", details, vtCode);
}
