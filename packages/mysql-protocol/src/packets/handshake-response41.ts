import { Capability } from "../constants/capabilities.js";
import { PacketWriter } from "./packet-writer.js";
import { malformed, PayloadReader } from "./payload-reader.js";

/** What a client sends after the handshake (Protocol::HandshakeResponse41). */
export interface HandshakeResponse41 {
  capabilities: number;
  maxPacketSize: number;
  charset: number;
  user: string;
  authResponse: Buffer;
  /** Present when CONNECT_WITH_DB is set (may be ""). */
  database: string;
  /** Present when PLUGIN_AUTH is set; "" otherwise. */
  authPluginName: string;
  attributes: Map<string, string>;
}

/** Length of an SSLRequest payload: the first 32 bytes of a HandshakeResponse41. */
export const SSL_REQUEST_LENGTH = 32;

/** True if this first client packet is an SSLRequest (32 bytes with the SSL capability). */
export function isSslRequest(payload: Buffer): boolean {
  return payload.length === SSL_REQUEST_LENGTH && (payload.readUInt32LE(0) & Capability.SSL) !== 0;
}

/**
 * Parses a HandshakeResponse41. Throws SqlError 1835 (malformed) when truncated, and when the client does not
 * speak protocol 4.1 (pre-4.1 clients are not supported, as in Vitess).
 */
export function decodeHandshakeResponse41(payload: Buffer): HandshakeResponse41 {
  const r = new PayloadReader(payload);
  const capabilities = r.u32();
  if ((capabilities & Capability.PROTOCOL_41) === 0) throw malformed("client does not support protocol 4.1");
  const maxPacketSize = r.u32();
  const charset = r.u8();
  r.skip(23);
  const user = r.nulStr();
  let authResponse: Buffer;
  if (capabilities & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA) authResponse = r.lenencBytes();
  else if (capabilities & Capability.SECURE_CONNECTION) authResponse = r.bytes(r.u8());
  else authResponse = r.nulBytes();
  let database = "";
  if (capabilities & Capability.CONNECT_WITH_DB && r.remaining > 0) database = r.nulStr();
  let authPluginName = "";
  if (capabilities & Capability.PLUGIN_AUTH && r.remaining > 0) authPluginName = r.nulStr();
  const attributes = new Map<string, string>();
  if (capabilities & Capability.CONNECT_ATTRS && r.remaining > 0) {
    const len = r.lenencInt() ?? 0;
    const end = r.pos + len;
    if (end > payload.length) throw malformed("connection attributes overflow the packet");
    while (r.pos < end) {
      const k = r.lenencBytes().toString("utf8");
      attributes.set(k, r.lenencBytes().toString("utf8"));
    }
  }
  return { capabilities, maxPacketSize, charset, user, authResponse, database, authPluginName, attributes };
}

/** Appends a HandshakeResponse41 (client side; used by tests). Uses lenenc auth data when the flag is set. */
export function encodeHandshakeResponse41(w: PacketWriter, h: HandshakeResponse41): void {
  w.begin().u32(h.capabilities).u32(h.maxPacketSize).u8(h.charset).zeros(23).nulStr(h.user);
  if (h.capabilities & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA) w.lenencBytes(h.authResponse);
  else w.u8(h.authResponse.length).bytes(h.authResponse);
  if (h.capabilities & Capability.CONNECT_WITH_DB) w.nulStr(h.database);
  if (h.capabilities & Capability.PLUGIN_AUTH) w.nulStr(h.authPluginName);
  if (h.capabilities & Capability.CONNECT_ATTRS) {
    const attrs = new PacketWriter(256);
    for (const [k, v] of h.attributes) attrs.lenencStr(k).lenencStr(v);
    w.lenencBytes(attrs.take());
  }
  w.end();
}
