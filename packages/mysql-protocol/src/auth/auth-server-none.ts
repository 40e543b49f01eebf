import type { AuthenticatedUser, AuthMethod, AuthRequest, AuthServer } from "./auth-server.js";

/**
 * Accepts every user with any password (Vitess's `--mysql_auth_server_impl none`), for the local example.
 * Clients keep their own plugin when it is one we speak, so no auth switch round trip is needed.
 */
export class AuthServerNone implements AuthServer {
  readonly defaultMethod: AuthMethod = "mysql_native_password";

  methodFor(_user: string, clientMethod: string): AuthMethod {
    return clientMethod === "caching_sha2_password" ? "caching_sha2_password" : "mysql_native_password";
  }

  validate(req: AuthRequest): AuthenticatedUser {
    return { user: req.user, userData: "", groups: [] };
  }
}
