import { SqlError } from "@vt/errors";
import type { AuthMethod } from "../auth/auth-server.js";
import { Capability } from "../constants/capabilities.js";
import { ProtoER } from "../constants/errors.js";
import { encodeAuthMoreData, encodeAuthSwitchRequest } from "../packets/auth-switch-request.js";
import { decodeHandshakeResponse41, isSslRequest, type HandshakeResponse41 } from "../packets/handshake-response41.js";
import { encodeOk } from "../packets/ok.js";
import type { InboundPacket } from "../packets/packet-framer.js";
import { decodeComChangeUser } from "../packets/com-change-user.js";
import type { ConnState } from "./conn-state.js";
import type { MysqlConnection } from "./mysql-connection.js";

/** An auth exchange waiting for the client's next packet. */
export interface PendingAuth {
  response: HandshakeResponse41;
  method: AuthMethod;
  /** caching_sha2_password full authentication: the next packet is the cleartext password (TLS only). */
  fullAuth: boolean;
  /** The exchange started with COM_CHANGE_USER (not the initial handshake). */
  changeUser: boolean;
}

const FAST_AUTH_OK = Buffer.from([3]);
const PERFORM_FULL_AUTH = Buffer.from([4]);

function handshakeError(msg: string): SqlError {
  return new SqlError(ProtoER.HANDSHAKE_ERROR, "08S01", msg, "INVALID_ARGUMENT");
}

/**
 * State "handshake": the client's HandshakeResponse41 (SSLRequests are consumed before framing when TLS is
 * on). Negotiates capabilities, picks the auth method (switching the client to it if needed) and verifies.
 */
export async function handleHandshakeResponse(c: MysqlConnection, p: InboundPacket): Promise<ConnState> {
  if (!c.checkSequence(p, c.writer.seq)) return "closed";
  if (isSslRequest(p.payload)) {
    c.fatal(handshakeError("SSL connection error: SSL is not enabled on the server"));
    return "closed";
  }
  let resp: HandshakeResponse41;
  try {
    resp = decodeHandshakeResponse41(p.payload);
  } catch {
    c.fatal(handshakeError("Bad handshake"));
    return "closed";
  }
  if (c.config.requireSecureTransport && !c.secure && !c.config.unixSocket) {
    c.fatal(new SqlError(ProtoER.SECURE_TRANSPORT_REQUIRED, "HY000",
      "Connections using insecure transport are prohibited while --require_secure_transport=ON.", "UNAVAILABLE"));
    return "closed";
  }
  c.capabilities = (resp.capabilities & c.config.capabilities) >>> 0;
  c.clientCollation = resp.charset;
  c.attributes = resp.attributes;
  return startAuth(c, resp, false);
}

/**
 * COM_CHANGE_USER (in the command state): re-authenticates on the same connection, with an auth switch if
 * needed. On success the handler's session is reset (comResetConnection) and prepared statements dropped; on
 * failure the client gets 1045 and the connection is closed.
 */
export async function handleChangeUser(c: MysqlConnection, payload: Buffer): Promise<ConnState> {
  let resp: HandshakeResponse41;
  try {
    resp = decodeComChangeUser(payload, c.capabilities);
  } catch (e) {
    c.fatal(SqlError.from(e));
    return "closed";
  }
  return startAuth(c, resp, true);
}

async function startAuth(c: MysqlConnection, resp: HandshakeResponse41, changeUser: boolean): Promise<ConnState> {
  const pluginAuth = (resp.capabilities & Capability.PLUGIN_AUTH) !== 0;
  const clientMethod = pluginAuth ? resp.authPluginName || "mysql_native_password" : "mysql_native_password";
  const method = c.config.authServer.methodFor(resp.user, clientMethod);
  if (method !== clientMethod) {
    if (!pluginAuth) {
      c.fatal(new SqlError(ProtoER.NOT_SUPPORTED_AUTH_MODE, "08004",
        "Client does not support authentication protocol requested by server", "UNAUTHENTICATED"));
      return "closed";
    }
    c.pendingAuth = { response: resp, method, fullAuth: false, changeUser };
    encodeAuthSwitchRequest(c.writer, method, c.scramble);
    c.flush();
    return "auth";
  }
  return finishAuth(c, resp, method, resp.authResponse, changeUser);
}

/** State "auth": the client's answer to an AuthSwitchRequest. */
export async function handleAuthResponse(c: MysqlConnection, p: InboundPacket): Promise<ConnState> {
  if (!c.checkSequence(p, c.writer.seq)) return "closed";
  const pending = c.pendingAuth;
  c.pendingAuth = null;
  if (pending === null) {
    c.fatal(handshakeError("Bad handshake"));
    return "closed";
  }
  if (pending.fullAuth) return finishAuth(c, pending.response, "mysql_clear_password", p.payload, pending.changeUser);
  return finishAuth(c, pending.response, pending.method, p.payload, pending.changeUser);
}

async function finishAuth(c: MysqlConnection, resp: HandshakeResponse41, method: AuthMethod,
  authResponse: Buffer, changeUser: boolean): Promise<ConnState> {
  let user;
  try {
    user = await c.config.authServer.validate({
      user: resp.user, method, scramble: c.scramble, authResponse, secure: c.secure,
      unixSocket: c.config.unixSocket, remoteAddress: c.remoteAddress,
    });
  } catch (e) {
    if (method === "caching_sha2_password" && c.secure && !c.isClosed) {
      // Fast path failed: over TLS, ask for the cleartext password (caching_sha2's full authentication).
      c.pendingAuth = { response: resp, method, fullAuth: true, changeUser };
      encodeAuthMoreData(c.writer, PERFORM_FULL_AUTH);
      c.flush();
      return "auth";
    }
    c.fatal(SqlError.from(e, "UNAUTHENTICATED"));
    return "closed";
  }
  if (c.isClosed) return "closed";
  if (method === "caching_sha2_password") encodeAuthMoreData(c.writer, FAST_AUTH_OK);
  c.user = user.user;
  c.userData = user.userData;
  if (changeUser) {
    await resetSession(c);
    c.schema = "";
  } else {
    c.announced = true;
    c.config.handler.newConnection?.(c);
  }
  if (resp.database !== "") {
    try {
      await c.config.handler.comInitDb?.(c, resp.database);
      c.schema = resp.database;
    } catch (e) {
      c.fatal(SqlError.from(e));
      return "closed";
    }
  }
  if (c.isClosed) return "closed";
  encodeOk(c.writer, { affectedRows: 0, lastInsertId: 0, statusFlags: c.statusFlags(false), warnings: 0, info: "" });
  c.flush();
  c.authenticated();
  return "command";
}

/** Drops prepared statements and lets the handler reset its session (COM_RESET_CONNECTION, COM_CHANGE_USER). */
export async function resetSession(c: MysqlConnection): Promise<void> {
  for (const stmt of c.statements.values()) c.config.handler.comStmtClose?.(c, stmt);
  c.statements.clear();
  await c.config.handler.comResetConnection?.(c);
}
