import { PacketWriter } from "./packet-writer.js";
import { PayloadReader } from "./payload-reader.js";

/** Fields of the server's initial handshake (Protocol::HandshakeV10). */
export interface HandshakeV10 {
  serverVersion: string;
  connectionId: number;
  /** 20 bytes of scramble (auth-plugin-data), no NUL bytes. */
  authPluginData: Uint8Array;
  capabilities: number;
  /** Collation id of the server's default character set. */
  charset: number;
  statusFlags: number;
  authPluginName: string;
}

/** Appends a HandshakeV10 packet. Requires: authPluginData is exactly 20 bytes. */
export function encodeHandshakeV10(w: PacketWriter, h: HandshakeV10): void {
  const data = h.authPluginData;
  w.begin()
    .u8(10)
    .nulStr(h.serverVersion)
    .u32(h.connectionId)
    .bytes(data.subarray(0, 8))
    .u8(0)
    .u16(h.capabilities & 0xffff)
    .u8(h.charset)
    .u16(h.statusFlags)
    .u16((h.capabilities >>> 16) & 0xffff)
    .u8(data.length + 1)
    .zeros(10)
    .bytes(data.subarray(8))
    .u8(0)
    .nulStr(h.authPluginName);
  w.end();
}

/** Parses a HandshakeV10 payload (used by tests and tools acting as clients). */
export function decodeHandshakeV10(payload: Buffer): HandshakeV10 {
  const r = new PayloadReader(payload);
  if (r.u8() !== 10) throw new Error("not a v10 handshake");
  const serverVersion = r.nulStr();
  const connectionId = r.u32();
  const part1 = r.bytes(8);
  r.skip(1);
  let capabilities = r.u16();
  const charset = r.u8();
  const statusFlags = r.u16();
  capabilities = (capabilities | (r.u16() << 16)) >>> 0;
  const dataLen = r.u8();
  r.skip(10);
  const part2 = r.bytes(Math.max(13, dataLen - 8));
  const authPluginName = r.remaining > 0 ? r.nulStr() : "";
  const authPluginData = Buffer.concat([part1, part2.subarray(0, part2.length - 1)]);
  return { serverVersion, connectionId, authPluginData, capabilities, charset, statusFlags, authPluginName };
}
