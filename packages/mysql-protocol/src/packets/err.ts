import type { PacketWriter } from "./packet-writer.js";
import { PayloadReader } from "./payload-reader.js";

/** An ERR packet's fields. */
export interface ErrPacket {
  errno: number;
  sqlState: string;
  message: string;
}

/** Appends an ERR packet (protocol 4.1 form, with '#' and a 5-character SQLSTATE; bad states become HY000). */
export function encodeErr(w: PacketWriter, e: ErrPacket): void {
  const state = e.sqlState.length === 5 ? e.sqlState : "HY000";
  w.begin().u8(0xff).u16(e.errno & 0xffff).u8(0x23).str(state).str(e.message);
  w.end();
}

/** Parses an ERR payload. */
export function decodeErr(payload: Buffer): ErrPacket {
  const r = new PayloadReader(payload, 1);
  const errno = r.u16();
  let sqlState = "";
  if (payload[r.pos] === 0x23) {
    r.skip(1);
    sqlState = r.bytes(5).toString("latin1");
  }
  return { errno, sqlState, message: r.rest().toString("utf8") };
}
