import { create } from "@bufbuild/protobuf";
import { RPCErrorSchema, type RPCError } from "@vt/proto/vtrpc";
import { SqlError, VT_CODES } from "@vt/errors";

/**
 * Any thrown value as a vtrpc.RPCError for Multiplex error frames and BeginExecute's `error`: vtrpc code, the plain
 * message, and MariaDB's errno/SQLSTATE in their own fields (the client never parses them out of the message).
 * Unary RPC failures use @vt/rpc's status mapping instead (the same values in `x-vt-*` metadata).
 */
export function toRpcError(reason: unknown): RPCError {
  const e = SqlError.from(reason);
  return create(RPCErrorSchema, {
    code: Math.max(0, VT_CODES.indexOf(e.vtCode)), message: e.message, errno: e.errno, sqlstate: e.sqlState,
  });
}
