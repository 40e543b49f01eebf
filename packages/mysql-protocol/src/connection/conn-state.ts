/**
 * Where a connection is in the protocol: waiting for the handshake response (or SSLRequest), in an auth
 * exchange (auth switch / more data), serving commands, or gone. Each state handler returns the next state.
 */
export type ConnState = "handshake" | "auth" | "command" | "closed";
