/** Auth plugin names the server speaks. */
export type AuthMethod = "mysql_native_password" | "caching_sha2_password" | "mysql_clear_password";

/** What the server knows when it asks the AuthServer to verify a login. */
export interface AuthRequest {
  user: string;
  /** Plugin whose response `authResponse` is. */
  method: AuthMethod;
  /** The 20-byte scramble sent to the client. */
  scramble: Buffer;
  /** The client's auth response (scrambled password, or cleartext for mysql_clear_password). */
  authResponse: Buffer;
  /** True on TLS connections. */
  secure: boolean;
  /** True when the client came in over the unix socket. */
  unixSocket: boolean;
  remoteAddress: string;
}

/** A successfully authenticated user. */
export interface AuthenticatedUser {
  user: string;
  /** Free-form data from the auth source (Vitess's UserData), e.g. for table ACLs. */
  userData: string;
  groups: readonly string[];
}

/**
 * Pluggable authentication, as Vitess's AuthServer. The connection announces `defaultMethod` in the handshake;
 * `methodFor` then picks the plugin to use for the user the client named (a different answer than the
 * client's own plugin triggers an auth switch); `validate` checks the response.
 */
export interface AuthServer {
  readonly defaultMethod: AuthMethod;
  /** Requires: clientMethod is whatever the client named (may be "" or an unknown plugin). */
  methodFor(user: string, clientMethod: string): AuthMethod;
  /** Resolves the user or throws SqlError 1045/28000 (access denied). */
  validate(req: AuthRequest): Promise<AuthenticatedUser> | AuthenticatedUser;
}
