import type { PacketWriter } from "./packet-writer.js";

/** Appends an EOF packet (0xfe, warnings, status): used when the client did not set DEPRECATE_EOF. */
export function encodeEof(w: PacketWriter, warnings: number, statusFlags: number): void {
  w.begin().u8(0xfe).u16(warnings).u16(statusFlags);
  w.end();
}

/** True for an EOF packet payload (0xfe header and shorter than 9 bytes). */
export function isEofPacket(payload: Buffer): boolean {
  return payload[0] === 0xfe && payload.length < 9;
}

/** Parses an EOF payload. */
export function decodeEof(payload: Buffer): { warnings: number; statusFlags: number } {
  return { warnings: payload.readUInt16LE(1), statusFlags: payload.readUInt16LE(3) };
}
