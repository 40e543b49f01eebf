import * as grpc from "@grpc/grpc-js";
import { SqlError, VT_CODES } from "@vt/errors";

/** The error as a vtrpc.RPCError (code number + message), for Multiplex error frames. */
export interface RpcErrorLike {
  code: number;
  message: string;
}

/**
 * Message text carrying errno and SQLSTATE the way Vitess puts them on the wire:
 * "Table 'ks.t' doesn't exist (errno 1146) (sqlstate 42S02)". The tablet client reads them back from this suffix
 * (or from the grpc metadata below), so MariaDB's errno/SQLSTATE survive the hop.
 */
export function wireMessage(e: SqlError): string {
  return `${e.message} (errno ${e.errno}) (sqlstate ${e.sqlState})`;
}

/** vtrpc.Code number of a SqlError's vtCode. */
export const vtCodeNumber = (e: SqlError): number => Math.max(0, VT_CODES.indexOf(e.vtCode));

/** Any thrown value as a vtrpc.RPCError. */
export function toRpcError(reason: unknown): RpcErrorLike {
  const e = SqlError.from(reason);
  return { code: vtCodeNumber(e), message: wireMessage(e) };
}

/** gRPC status code for a vtrpc code (they coincide for 0..16; CLUSTER_EVENT→UNAVAILABLE, READ_ONLY→FAILED_PRECONDITION). */
export function grpcCodeOf(vtCode: number): grpc.status {
  if (vtCode <= 16) return vtCode as grpc.status;
  return vtCode === 17 ? grpc.status.UNAVAILABLE : grpc.status.FAILED_PRECONDITION;
}

/** Any thrown value as a grpc-js status object, with errno/SQLSTATE also in metadata (`vt-errno`, `vt-sqlstate`). */
export function toGrpcStatus(reason: unknown): Partial<grpc.StatusObject> {
  const e = SqlError.from(reason);
  const metadata = new grpc.Metadata();
  metadata.set("vt-errno", String(e.errno));
  metadata.set("vt-sqlstate", e.sqlState);
  metadata.set("vt-code", e.vtCode);
  return { code: grpcCodeOf(vtCodeNumber(e)), details: wireMessage(e), metadata };
}
