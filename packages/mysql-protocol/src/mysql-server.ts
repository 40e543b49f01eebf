import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { createSecureContext, type SecureContext } from "node:tls";
import { SqlError } from "@vt/errors";
import type { AuthServer } from "./auth/auth-server.js";
import { AuthServerNone } from "./auth/auth-server-none.js";
import { Capability, DEFAULT_SERVER_CAPABILITIES } from "./constants/capabilities.js";
import { Collation } from "./constants/charsets.js";
import { ProtoER } from "./constants/errors.js";
import type { Handler } from "./connection/handler.js";
import { MysqlConnection, type ConnectionConfig } from "./connection/mysql-connection.js";
import { encodeErr } from "./packets/err.js";
import { PacketWriter } from "./packets/packet-writer.js";

/** TLS material (PEM). With `ca`, client certificates are requested and verified. */
export interface TlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  ca?: string | Buffer;
  minVersion?: "TLSv1.2" | "TLSv1.3";
}

/** MysqlServer settings. Only `handler` is required. */
export interface MysqlServerOptions {
  handler: Handler;
  /** Default: AuthServerNone (any user, any password). */
  authServer?: AuthServer;
  /** Version string in the handshake. Default "8.0.30-Vitess". */
  serverVersion?: string;
  /** Collation id announced in the handshake. Default utf8mb4_general_ci (45). */
  collation?: number;
  /** Enables SSLRequest upgrades (advertises CLIENT_SSL). */
  tls?: TlsOptions;
  /** Refuse non-TLS TCP logins (unix socket logins are allowed), with 3159. */
  requireSecureTransport?: boolean;
  /** 0 = unlimited. Beyond it new connections get 1040 and are closed. */
  maxConnections?: number;
  /** Time allowed from accept to successful login. Default 10 s; 0 disables. */
  connectTimeoutMs?: number;
  /** Idle time after which an authenticated connection is closed. Default 0 (never). */
  idleTimeoutMs?: number;
  /** Largest client payload accepted (max_allowed_packet). Default 64 MiB. */
  maxPacketSize?: number;
  /** Called for unexpected (non-SqlError) failures in handlers or the server; default: ignore. */
  onError?: (err: unknown, conn: MysqlConnection | null) => void;
}

/**
 * The MySQL protocol server vtgate listens with: TCP and/or unix socket listeners, one MysqlConnection per
 * client, connection ids from 1 upward. `close()` stops the listeners and closes every connection.
 */
export class MysqlServer {
  private readonly listeners: Server[] = [];
  private readonly conns = new Map<number, MysqlConnection>();
  private nextId = 1;
  private readonly base: Omit<ConnectionConfig, "unixSocket">;
  private readonly maxConnections: number;

  constructor(opts: MysqlServerOptions) {
    const secureContext: SecureContext | null = opts.tls
      ? createSecureContext({ cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.ca, minVersion: opts.tls.minVersion ?? "TLSv1.2" })
      : null;
    const onError = opts.onError ?? (() => undefined);
    this.maxConnections = opts.maxConnections ?? 0;
    this.base = {
      handler: opts.handler,
      authServer: opts.authServer ?? new AuthServerNone(),
      serverVersion: opts.serverVersion ?? "8.0.30-Vitess",
      collation: opts.collation ?? Collation.UTF8MB4_GENERAL_CI,
      capabilities: (DEFAULT_SERVER_CAPABILITIES | (secureContext ? Capability.SSL : 0)) >>> 0,
      secureContext,
      tlsRequestCert: opts.tls?.ca !== undefined,
      requireSecureTransport: opts.requireSecureTransport ?? false,
      maxPacketSize: opts.maxPacketSize ?? 64 * 1024 * 1024,
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      idleTimeoutMs: opts.idleTimeoutMs ?? 0,
      onError,
    };
  }

  /** Listens on TCP. Port 0 picks a free port; resolves with the bound address. */
  listen(port: number, host = "127.0.0.1"): Promise<AddressInfo> {
    const srv = this.makeListener(false);
    return new Promise((resolve, reject) => {
      srv.once("error", reject);
      srv.listen(port, host, () => {
        srv.off("error", reject);
        resolve(srv.address() as AddressInfo);
      });
    });
  }

  /** Listens on a unix socket path (Requires: the path does not exist). */
  listenUnix(path: string): Promise<void> {
    const srv = this.makeListener(true);
    return new Promise((resolve, reject) => {
      srv.once("error", reject);
      srv.listen(path, () => {
        srv.off("error", reject);
        resolve();
      });
    });
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.conns.size;
  }

  /** A connection by id (for KILL), if open. */
  connection(id: number): MysqlConnection | undefined {
    return this.conns.get(id);
  }

  /** All open connections. */
  connections(): IterableIterator<MysqlConnection> {
    return this.conns.values();
  }

  /** Stops accepting, closes all connections, and resolves when the listeners are closed. */
  async close(): Promise<void> {
    const closing = this.listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve())));
    for (const c of [...this.conns.values()]) c.close();
    await Promise.all(closing);
  }

  private makeListener(unixSocket: boolean): Server {
    const config: ConnectionConfig = { ...this.base, unixSocket };
    const srv = createServer({ noDelay: true }, (socket) => this.accept(socket, config));
    srv.on("error", (e) => this.base.onError(e, null));
    this.listeners.push(srv);
    return srv;
  }

  private accept(socket: Socket, config: ConnectionConfig): void {
    if (this.maxConnections > 0 && this.conns.size >= this.maxConnections) {
      const w = new PacketWriter(128);
      encodeErr(w, new SqlError(ProtoER.TOO_MANY_CONNECTIONS, "08004", "Too many connections", "RESOURCE_EXHAUSTED"));
      socket.on("error", () => undefined);
      socket.end(w.take(), () => socket.destroy());
      return;
    }
    const id = this.nextId++;
    const conn = new MysqlConnection(id, socket, config);
    this.conns.set(id, conn);
    conn.closeListeners.push(() => this.conns.delete(id));
    conn.start();
  }
}
