import { connect, type Socket } from "node:net";
import { scrambleNativePassword } from "../auth/scramble.js";
import { Capability } from "../constants/capabilities.js";
import { encodeHandshakeResponse41 } from "../packets/handshake-response41.js";
import { decodeHandshakeV10, type HandshakeV10 } from "../packets/handshake-v10.js";
import { PacketFramer, type InboundPacket } from "../packets/packet-framer.js";
import { PacketWriter } from "../packets/packet-writer.js";
import { decodeOk } from "../packets/ok.js";
import { PayloadReader } from "../packets/payload-reader.js";

/** Capabilities the raw test client asks for by default. */
export const RAW_CLIENT_CAPS = (Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION | Capability.PLUGIN_AUTH |
  Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capability.DEPRECATE_EOF | Capability.MULTI_RESULTS |
  Capability.LONG_PASSWORD | Capability.TRANSACTIONS) >>> 0;

/**
 * A byte-level MySQL client for protocol tests: sends exactly what it is told and exposes every packet the
 * server sends back, so tests can check sequence ids, framing and behaviour on bad input.
 */
export class RawClient {
  private readonly framer = new PacketFramer(1 << 30);
  private readonly packets: InboundPacket[] = [];
  private waiter: (() => void) | null = null;
  closedFlag = false;
  readonly closed: Promise<void>;
  handshake: HandshakeV10 | null = null;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (c: Buffer) => {
      this.framer.push(c, this.packets);
      this.waiter?.();
    });
    socket.on("error", () => undefined);
    this.closed = new Promise((resolve) => socket.on("close", () => {
      this.closedFlag = true;
      this.waiter?.();
      resolve();
    }));
  }

  /** Connects to a TCP port or a unix socket path. */
  static connect(target: number | string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = typeof target === "number" ? connect(target, "127.0.0.1") : connect(target);
      s.once("error", reject);
      s.once("connect", () => {
        s.off("error", reject);
        resolve(new RawClient(s));
      });
    });
  }

  /** Next packet from the server; rejects if the socket closes first or after `timeoutMs`. */
  async next(timeoutMs = 3000): Promise<InboundPacket> {
    const deadline = Date.now() + timeoutMs;
    while (this.packets.length === 0) {
      if (this.closedFlag) throw new Error("closed");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("timeout");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.packets.shift() as InboundPacket;
  }

  /** Sends one packet with the given sequence id. */
  send(payload: Buffer, seq: number): void {
    const w = new PacketWriter(payload.length + 8);
    w.seq = seq;
    w.begin().bytes(payload).end();
    this.socket.write(w.take());
  }

  /** Reads the handshake and logs in with mysql_native_password; returns the server's reply packet. */
  async login(user: string, password: string, opts: { database?: string; caps?: number } = {}): Promise<InboundPacket> {
    const hs = decodeHandshakeV10((await this.next()).payload);
    this.handshake = hs;
    let caps = opts.caps ?? RAW_CLIENT_CAPS;
    if (opts.database !== undefined) caps |= Capability.CONNECT_WITH_DB;
    const w = new PacketWriter();
    w.seq = 1;
    encodeHandshakeResponse41(w, {
      capabilities: caps >>> 0, maxPacketSize: 1 << 24, charset: 45, user,
      authResponse: scrambleNativePassword(hs.authPluginData, password), database: opts.database ?? "",
      authPluginName: "mysql_native_password", attributes: new Map(),
    });
    this.socket.write(w.take());
    return this.next();
  }

  /** Sends COM_QUERY and collects every packet of the response (DEPRECATE_EOF clients only). */
  async query(sql: string): Promise<InboundPacket[]> {
    this.send(Buffer.concat([Buffer.from([3]), Buffer.from(sql)]), 0);
    const out: InboundPacket[] = [];
    for (;;) {
      const first = await this.next();
      out.push(first);
      if (first.payload[0] === 0xff) return out;
      if (first.payload[0] === 0x00) {
        if (decodeOk(first.payload).statusFlags & 8) continue;
        return out;
      }
      const n = new PayloadReader(first.payload).lenencInt() ?? 0;
      for (let i = 0; i < n; i++) out.push(await this.next());
      let more = false;
      for (;;) {
        const p = await this.next();
        out.push(p);
        if (p.payload[0] === 0xff) return out;
        if (p.payload[0] === 0xfe && p.payload.length < 0xffffff) {
          more = (decodeOk(p.payload).statusFlags & 8) !== 0;
          break;
        }
      }
      if (!more) return out;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
