/**
 * Where a connection is in the protocol: waiting for the handshake response (or SSLRequest), in an auth
 * exchange (auth switch / more data), serving commands, or gone. Each state handler returns the next state.
 */
export type ConnState = "handshake" | "auth" | "command" | "closed";

/**
 * A command's answer meaning "still running": it reports its next state later through
 * MysqlConnection.commandDone (or commandFailed), so the connection adds no promise reaction of its own.
 */
export const PENDING: unique symbol = Symbol("pending command");
