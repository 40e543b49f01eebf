import type { Socket } from "node:net";
import { TLSSocket, type SecureContext } from "node:tls";
import { SqlError } from "@vt/errors";
import type { AuthServer } from "../auth/auth-server.js";
import { generateScramble } from "../auth/scramble.js";
import { Capability, ServerStatus } from "../constants/capabilities.js";
import { ProtoER } from "../constants/errors.js";
import { encodeErr } from "../packets/err.js";
import { encodeHandshakeV10 } from "../packets/handshake-v10.js";
import { isSslRequest, SSL_REQUEST_LENGTH } from "../packets/handshake-response41.js";
import { PacketFramer, type InboundPacket } from "../packets/packet-framer.js";
import { PacketWriter } from "../packets/packet-writer.js";
import { PENDING, type ConnState } from "./conn-state.js";
import type { Handler, PreparedStatement } from "./handler.js";
import { handleCommand } from "./command-state.js";
import { handleAuthResponse, handleHandshakeResponse, type PendingAuth } from "./handshake-state.js";
import { CommandResultSink, type SinkOwner } from "./result-sink.js";

/** Settings a connection gets from its server. */
export interface ConnectionConfig {
  handler: Handler;
  authServer: AuthServer;
  serverVersion: string;
  collation: number;
  capabilities: number;
  secureContext: SecureContext | null;
  /** Request and verify client certificates (a CA was configured). */
  tlsRequestCert: boolean;
  requireSecureTransport: boolean;
  maxPacketSize: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  unixSocket: boolean;
  onError: (err: unknown, conn: MysqlConnection | null) => void;
}

/** Inbound packets queued before the socket is paused (a client pipelining faster than we serve). */
const MAX_QUEUED = 64;

/**
 * One client connection: socket I/O, framing, and the protocol state machine. Handlers see the public fields
 * (id, user, schema, attributes, capabilities, inTransaction, autocommit, state, close()); the rest is used by
 * the state handlers in this directory.
 */
export class MysqlConnection implements SinkOwner {
  /** Authenticated user name ("" until authentication succeeds). */
  user = "";
  /** UserData from the auth server. */
  userData = "";
  /** Current database ("" for none). */
  schema = "";
  /** Connection attributes the client sent (CONNECT_ATTRS). */
  attributes: ReadonlyMap<string, string> = new Map();
  /** Negotiated capabilities (client's flags masked by ours); MULTI_STATEMENTS follows COM_SET_OPTION. */
  capabilities = 0;
  /** Collation id the client asked for. */
  clientCollation = 0;
  /** Set by the handler: reported as SERVER_STATUS_IN_TRANS. */
  inTransaction = false;
  /** Set by the handler: reported as SERVER_STATUS_AUTOCOMMIT. */
  autocommit = true;
  /** Handler-owned per-connection slot (vtgate's session). */
  state: unknown = undefined;
  /** Aborted when the connection closes (cancel in-flight work with it). */
  readonly signal: AbortSignal;
  /** Prepared statements by id. */
  readonly statements = new Map<number, PreparedStatement>();
  /** The 20-byte auth scramble. */
  readonly scramble = generateScramble();
  /** Outgoing packet buffer. */
  readonly writer = new PacketWriter();
  /** @internal */ readonly sink: CommandResultSink;
  /** @internal */ pendingAuth: PendingAuth | null = null;
  /** @internal */ announced = false;
  /** @internal */ nextStatementId = 1;
  /** @internal Id of the statement prepared last (0 if the last COM_STMT_PREPARE failed). */ lastPreparedId = 0;

  private socket: Socket;
  private readonly framer: PacketFramer;
  private readonly inbox: InboundPacket[] = [];
  private connState: ConnState = "handshake";
  private busy = false;
  private secureFlag = false;
  private readonly abort = new AbortController();
  private connectTimer: NodeJS.Timeout | null = null;
  private drainWaiters: (() => void)[] = [];
  private preTls: Buffer | null;

  constructor(readonly id: number, socket: Socket, readonly config: ConnectionConfig) {
    this.socket = socket;
    this.signal = this.abort.signal;
    this.framer = new PacketFramer(config.maxPacketSize);
    this.sink = new CommandResultSink(this);
    this.preTls = config.secureContext !== null ? Buffer.alloc(0) : null;
    this.attach(socket);
  }

  /** Peer address ("unix" for socket connections). */
  get remoteAddress(): string {
    return this.config.unixSocket ? "unix" : `${this.socket.remoteAddress ?? "?"}:${this.socket.remotePort ?? 0}`;
  }

  /** True once TLS is up. */
  get secure(): boolean {
    return this.secureFlag;
  }

  /** The protocol state. */
  get protocolState(): ConnState {
    return this.connState;
  }

  get isClosed(): boolean {
    return this.connState === "closed";
  }

  get deprecateEof(): boolean {
    return (this.capabilities & Capability.DEPRECATE_EOF) !== 0;
  }

  /** True when the client may send several statements in one COM_QUERY. */
  get multiStatements(): boolean {
    return (this.capabilities & Capability.MULTI_STATEMENTS) !== 0;
  }

  /** Status flags for OK/EOF packets from the handler-maintained session flags. */
  statusFlags(moreResults: boolean): number {
    return (this.inTransaction ? ServerStatus.IN_TRANS : 0) | (this.autocommit ? ServerStatus.AUTOCOMMIT : 0) |
      (moreResults ? ServerStatus.MORE_RESULTS_EXISTS : 0);
  }

  /** Sends the initial handshake and arms the connect timeout. @internal */
  start(): void {
    this.socket.setNoDelay(true);
    if (this.config.connectTimeoutMs > 0) {
      this.connectTimer = setTimeout(() => this.close(), this.config.connectTimeoutMs);
      this.connectTimer.unref();
    }
    encodeHandshakeV10(this.writer, {
      serverVersion: this.config.serverVersion, connectionId: this.id, authPluginData: this.scramble,
      capabilities: this.config.capabilities, charset: this.config.collation,
      statusFlags: ServerStatus.AUTOCOMMIT, authPluginName: this.config.authServer.defaultMethod,
    });
    this.flush();
  }

  /** Authentication finished: stop the connect timer, start the idle timer. @internal */
  authenticated(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    if (this.config.idleTimeoutMs > 0) this.socket.setTimeout(this.config.idleTimeoutMs);
  }

  /** Closes the connection at once (in-flight output is dropped). Safe to call more than once. */
  close(): void {
    this.socket.destroy();
    this.markClosed();
  }

  /** Writes what is buffered; returns false if the socket asked us to wait for 'drain'. @internal */
  flush(): boolean {
    if (this.writer.length === 0 || this.connState === "closed") return true;
    return this.socket.write(this.writer.take());
  }

  flushAndWait(): Promise<void> {
    if (this.flush()) return Promise.resolve();
    return this.waitDrain();
  }

  /** Resolves when the socket drains or closes. @internal */
  waitDrain(): Promise<void> {
    if (this.connState === "closed" || !this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Sends an ERR packet, then closes once it is written. @internal */
  fatal(err: SqlError): void {
    if (this.connState === "closed") return;
    encodeErr(this.writer, err);
    const buf = this.writer.take();
    const s = this.socket;
    this.markClosed();
    s.end(buf, () => s.destroy());
    setTimeout(() => s.destroy(), 1000).unref();
  }

  /** Replaces the socket with a server-side TLS socket over it (after an SSLRequest). @internal */
  upgradeToTls(ctx: SecureContext, leftover: Buffer | null): void {
    const raw = this.socket;
    this.detach(raw);
    raw.pause();
    if (leftover && leftover.length > 0) raw.unshift(leftover);
    const verify = this.config.tlsRequestCert;
    const tls = new TLSSocket(raw, { isServer: true, secureContext: ctx, requestCert: verify, rejectUnauthorized: verify });
    this.socket = tls;
    this.secureFlag = true;
    this.attach(tls);
  }

  private attach(s: Socket): void {
    s.on("data", this.onData);
    s.on("error", this.onSocketError);
    s.on("close", this.onClose);
    s.on("drain", this.onDrain);
    s.on("timeout", this.onTimeout);
  }

  private detach(s: Socket): void {
    s.off("data", this.onData);
    s.off("error", this.onSocketError);
    s.off("close", this.onClose);
    s.off("drain", this.onDrain);
    s.off("timeout", this.onTimeout);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.connState === "closed") return;
    if (this.preTls !== null) {
      const rest = this.takeSslRequest(chunk);
      if (rest === null) return;
      chunk = rest;
    }
    try {
      this.framer.push(chunk, this.inbox);
    } catch (e) {
      this.fatal(SqlError.from(e));
      return;
    }
    if (this.inbox.length > MAX_QUEUED) this.socket.pause();
    if (!this.busy && this.inbox.length > 0) void this.pump();
  };

  /**
   * Before TLS is negotiated, the first client packet is peeked here: an SSLRequest switches the socket to TLS,
   * and whatever followed it in the same read is the TLS ClientHello, handed to the TLS socket untouched.
   * Returns the bytes to feed the framer, or null if the first packet is incomplete or was an SSLRequest.
   */
  private takeSslRequest(chunk: Buffer): Buffer | null {
    const pre = this.preTls === null || this.preTls.length === 0 ? chunk : Buffer.concat([this.preTls, chunk]);
    if (pre.length < 4) {
      this.preTls = pre;
      return null;
    }
    const len = pre.readUIntLE(0, 3);
    if (len !== SSL_REQUEST_LENGTH) {
      this.preTls = null;
      return pre;
    }
    if (pre.length < 4 + len) {
      this.preTls = pre;
      return null;
    }
    this.preTls = null;
    const payload = pre.subarray(4, 4 + len);
    if (!isSslRequest(payload) || this.config.secureContext === null) return pre;
    if (!this.checkSequence({ seq: pre[3] as number, lastSeq: pre[3] as number, payload }, this.writer.seq)) return null;
    this.capabilities = payload.readUInt32LE(0);
    this.upgradeToTls(this.config.secureContext, pre.subarray(4 + len));
    return null;
  }

  /**
   * Serves the queued packets one at a time. A command that completes synchronously continues the loop at once; one
   * that waits (a query out at a tablet) resumes the loop from its promise, so a command costs one promise reaction
   * here rather than a chain of async frames.
   */
  private pump(): void {
    this.busy = true;
    try {
      while (this.inbox.length > 0 && this.connState !== "closed") {
        const p = this.inbox.shift() as InboundPacket;
        const next = this.dispatch(p);
        if (next === PENDING) return; // commandDone resumes
        if (typeof next !== "string") {
          next.then(this.resume, this.pumpFailed);
          return;
        }
        this.stepped(next);
      }
    } catch (e) {
      this.pumpFailed(e);
      return;
    }
    this.busy = false;
  }

  /** The state after a command; resumes a paused socket once the queue is empty. */
  private stepped(next: ConnState): void {
    this.connState = this.isClosed ? "closed" : next;
    if (this.socket.isPaused() && this.inbox.length === 0 && this.connState !== "closed") this.socket.resume();
  }

  /** @internal A command that answered PENDING finished: its next state, or the wait (drain) before it. */
  commandDone(next: ConnState | Promise<ConnState>): void {
    if (typeof next !== "string") next.then(this.resume, this.pumpFailed);
    else this.resume(next);
  }

  /** @internal A command that answered PENDING failed outside the protocol (a handler bug): closes the connection. */
  commandFailed(e: unknown): void {
    this.pumpFailed(e);
  }

  private readonly resume = (next: ConnState): void => {
    try {
      this.stepped(next);
    } catch (e) {
      this.pumpFailed(e);
      return;
    }
    this.pump();
  };

  private readonly pumpFailed = (e: unknown): void => {
    this.busy = false;
    this.config.onError(e, this);
    this.fatal(SqlError.from(e));
  };

  private dispatch(p: InboundPacket): ConnState | Promise<ConnState> | typeof PENDING {
    switch (this.connState) {
      case "handshake": return handleHandshakeResponse(this, p);
      case "auth": return handleAuthResponse(this, p);
      case "command": return handleCommand(this, p);
      case "closed": return "closed";
    }
  }

  /** Checks a packet's sequence id against the one expected next; on mismatch sends 1156 and closes. @internal */
  checkSequence(p: InboundPacket, expected: number): boolean {
    if (p.seq !== expected) {
      this.fatal(new SqlError(ProtoER.NET_PACKETS_OUT_OF_ORDER, "08S01", "Got packets out of order", "INVALID_ARGUMENT"));
      return false;
    }
    this.writer.seq = (p.lastSeq + 1) & 0xff;
    return true;
  }

  private readonly onSocketError = (): void => {
    // 'close' follows; nothing to report to the client.
  };

  private readonly onTimeout = (): void => {
    // Idle means no command running: a long query is not idle (the timer re-arms on the next socket activity).
    if (this.busy && this.connState === "command") return;
    this.close();
  };

  private readonly onDrain = (): void => {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  };

  private readonly onClose = (): void => {
    this.markClosed();
  };

  private markClosed(): void {
    if (this.connState === "closed") return;
    this.connState = "closed";
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.abort.abort();
    this.onDrain();
    this.inbox.length = 0;
    const h = this.config.handler;
    if (this.announced) {
      for (const stmt of this.statements.values()) {
        try { h.comStmtClose?.(this, stmt); } catch (e) { this.config.onError(e, this); }
      }
      this.statements.clear();
      try { h.connectionClosed?.(this); } catch (e) { this.config.onError(e, this); }
    }
    this.closeListeners.forEach((f) => f());
  }

  /** @internal Server hook: called once when the connection closes. */
  readonly closeListeners: (() => void)[] = [];
}
