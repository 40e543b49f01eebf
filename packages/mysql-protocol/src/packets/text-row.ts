import type { Row } from "@vt/sqltypes";
import type { PacketWriter } from "./packet-writer.js";
import { PayloadReader } from "./payload-reader.js";

/** Appends a text-protocol row: each column as a length-encoded string, 0xfb for NULL. Bytes are not re-encoded. */
export function encodeTextRow(w: PacketWriter, row: Row): void {
  w.textRow(row);
}

/** Parses a text-protocol row payload with `columns` columns (values are views into the payload). */
export function decodeTextRow(payload: Buffer, columns: number): (Buffer | null)[] {
  const r = new PayloadReader(payload);
  const out: (Buffer | null)[] = [];
  for (let i = 0; i < columns; i++) {
    if (payload[r.pos] === 0xfb) {
      r.skip(1);
      out.push(null);
    } else {
      out.push(r.lenencBytes());
    }
  }
  return out;
}
