// @vt/mysql-protocol: the server side of the MySQL client/server protocol, as vtgate speaks it.
// Phases of a connection: handshake (HandshakeV10 → optional SSLRequest/TLS → HandshakeResponse41) → auth
// (AuthServer picks the plugin, auth switch if needed, verification) → command (COM_* dispatched to a Handler,
// results streamed through a ResultSink with backpressure). src/packets holds one pure codec per packet,
// src/connection the state machine, src/auth the AuthServer implementations, src/constants the wire tables.
export { MysqlServer, type MysqlServerOptions, type TlsOptions } from "./mysql-server.js";
export { MysqlConnection, type ConnectionConfig } from "./connection/mysql-connection.js";
export type { ConnState } from "./connection/conn-state.js";
export type { Handler, ResultSink, ResultSummary, PrepareResult, PreparedStatement } from "./connection/handler.js";
export type { AuthServer, AuthMethod, AuthRequest, AuthenticatedUser } from "./auth/auth-server.js";
export { AuthServerNone } from "./auth/auth-server-none.js";
export { AuthServerStatic, accessDenied, type StaticAuthEntry } from "./auth/auth-server-static.js";
export {
  generateScramble, nativePasswordHash, parseNativePasswordHash, scrambleNativePassword, verifyNativePassword,
  scrambleCachingSha2, verifyCachingSha2,
} from "./auth/scramble.js";
export { Capability, DEFAULT_SERVER_CAPABILITIES, ServerStatus } from "./constants/capabilities.js";
export { Command, SetOption } from "./constants/commands.js";
export { Collation } from "./constants/charsets.js";
export { ColumnFlag } from "./constants/column-flags.js";
export { ProtoER } from "./constants/errors.js";
export { PacketWriter, MAX_PACKET_PAYLOAD } from "./packets/packet-writer.js";
export { PayloadReader } from "./packets/payload-reader.js";
export { PacketFramer, type InboundPacket } from "./packets/packet-framer.js";
export { encodeColumnDefinition, decodeColumnDefinition, defaultCollation } from "./packets/column-definition.js";
export { encodeTextRow, decodeTextRow } from "./packets/text-row.js";
export { encodeBinaryRow } from "./packets/binary-row.js";
export { encodeOk, decodeOk, type OkPacket } from "./packets/ok.js";
export { encodeErr, decodeErr, type ErrPacket } from "./packets/err.js";
export { encodeEof, decodeEof, isEofPacket } from "./packets/eof.js";
export { encodeHandshakeV10, decodeHandshakeV10, type HandshakeV10 } from "./packets/handshake-v10.js";
export { encodeHandshakeResponse41, decodeHandshakeResponse41, type HandshakeResponse41 } from "./packets/handshake-response41.js";
export { decodeComStmtExecute, encodeComStmtExecute } from "./packets/com-stmt-execute.js";
