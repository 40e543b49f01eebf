import type { PacketWriter } from "./packet-writer.js";
import { PayloadReader } from "./payload-reader.js";

/** An OK packet's fields (no SESSION_TRACK: we never advertise it). */
export interface OkPacket {
  affectedRows: bigint | number;
  lastInsertId: bigint | number;
  statusFlags: number;
  warnings: number;
  info: string;
}

/**
 * Appends an OK packet. The info text is length-encoded, as MySQL and MariaDB servers send it (libmariadb reads it
 * that way even without SESSION_TRACK). `eofHeader` writes 0xfe instead of 0x00: the form that ends a result set when the client
 * set DEPRECATE_EOF.
 */
export function encodeOk(w: PacketWriter, ok: OkPacket, eofHeader = false): void {
  w.begin()
    .u8(eofHeader ? 0xfe : 0x00)
    .lenencInt(ok.affectedRows)
    .lenencInt(ok.lastInsertId)
    .u16(ok.statusFlags)
    .u16(ok.warnings);
  if (ok.info !== "") w.lenencStr(ok.info);
  w.end();
}

/** Parses an OK payload (0x00 or 0xfe header). */
export function decodeOk(payload: Buffer): OkPacket {
  const r = new PayloadReader(payload, 1);
  const affectedRows = r.lenencInt() ?? 0;
  const lastInsertId = r.lenencInt() ?? 0;
  const statusFlags = r.u16();
  const warnings = r.u16();
  return { affectedRows, lastInsertId, statusFlags, warnings, info: r.remaining > 0 ? r.lenencBytes().toString("utf8") : "" };
}
