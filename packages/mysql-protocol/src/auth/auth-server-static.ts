import { readFileSync } from "node:fs";
import { SqlError } from "@vt/errors";
import { ProtoER } from "../constants/errors.js";
import type { AuthenticatedUser, AuthMethod, AuthRequest, AuthServer } from "./auth-server.js";
import { nativePasswordHash, parseNativePasswordHash, verifyCachingSha2, verifyNativePassword } from "./scramble.js";

/** One credential of a user in Vitess's static auth JSON (field names as in Vitess). */
export interface StaticAuthEntry {
  Password?: string;
  MysqlNativePassword?: string;
  UserData?: string;
  /** "localhost" restricts the entry to unix-socket connections. */
  SourceHost?: string;
  Groups?: string[];
}

/** Builds the SqlError every failed login gets: 1045 / 28000. */
export function accessDenied(user: string, usingPassword: boolean): SqlError {
  return new SqlError(
    ProtoER.ACCESS_DENIED, "28000",
    `Access denied for user '${user}' (using password: ${usingPassword ? "YES" : "NO"})`, "PERMISSION_DENIED",
  );
}

/**
 * Users from Vitess's static auth file (`--mysql_auth_server_static_file`): a JSON object mapping user name to
 * an array of entries (or, in the legacy form, one entry). Verifies mysql_native_password (from `Password` or
 * the `*HEX` `MysqlNativePassword`), caching_sha2_password's fast path and cleartext, when a plaintext
 * `Password` is known.
 */
export class AuthServerStatic implements AuthServer {
  readonly defaultMethod: AuthMethod = "mysql_native_password";
  private readonly users: ReadonlyMap<string, readonly StaticAuthEntry[]>;

  constructor(users: Record<string, StaticAuthEntry | StaticAuthEntry[]>) {
    const m = new Map<string, StaticAuthEntry[]>();
    for (const [name, v] of Object.entries(users)) m.set(name, Array.isArray(v) ? v : [v]);
    this.users = m;
  }

  /** Parses the JSON text of a static auth file. Throws on malformed JSON or a non-object top level. */
  static fromJson(text: string): AuthServerStatic {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new Error("static auth file: top level must be an object of users");
    }
    return new AuthServerStatic(parsed as Record<string, StaticAuthEntry | StaticAuthEntry[]>);
  }

  /** Reads and parses a static auth file. */
  static fromFile(path: string): AuthServerStatic {
    return AuthServerStatic.fromJson(readFileSync(path, "utf8"));
  }

  methodFor(user: string, clientMethod: string): AuthMethod {
    const entries = this.users.get(user);
    if (clientMethod === "caching_sha2_password" && entries?.every((e) => e.Password !== undefined)) {
      return "caching_sha2_password";
    }
    return "mysql_native_password";
  }

  validate(req: AuthRequest): AuthenticatedUser {
    const entries = this.users.get(req.user) ?? [];
    for (const e of entries) {
      if (e.SourceHost === "localhost" && !req.unixSocket) continue;
      if (this.matches(e, req)) return { user: req.user, userData: e.UserData ?? "", groups: e.Groups ?? [] };
    }
    throw accessDenied(req.user, req.authResponse.length > 0);
  }

  private matches(e: StaticAuthEntry, req: AuthRequest): boolean {
    switch (req.method) {
      case "mysql_native_password": {
        let stored: Buffer | null;
        if (e.MysqlNativePassword !== undefined && e.MysqlNativePassword !== "") {
          stored = parseNativePasswordHash(e.MysqlNativePassword);
          if (stored === null) return false;
        } else {
          stored = e.Password ? nativePasswordHash(e.Password) : null;
        }
        return verifyNativePassword(req.scramble, req.authResponse, stored);
      }
      case "caching_sha2_password":
        return e.Password !== undefined && verifyCachingSha2(req.scramble, req.authResponse, e.Password);
      case "mysql_clear_password": {
        let pw = req.authResponse;
        if (pw.length > 0 && pw[pw.length - 1] === 0) pw = pw.subarray(0, pw.length - 1);
        return e.Password !== undefined && pw.toString("utf8") === e.Password;
      }
    }
  }
}
