import { MysqlType } from "@vt/sqltypes";
import type { PacketWriter } from "./packet-writer.js";

const ascii = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");

/** Parses the integer digits of text-protocol bytes (no allocation for the common case). */
function parseSmallInt(b: Uint8Array): number {
  let i = 0;
  let neg = false;
  if (b[0] === 0x2d) {
    neg = true;
    i = 1;
  }
  let v = 0;
  for (; i < b.length; i++) {
    const d = (b[i] as number) - 0x30;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** Splits "YYYY-MM-DD[ HH:MM:SS[.ffffff]]" into numbers. */
function parseDateTime(s: string): number[] {
  const m = /^(\d+)-(\d+)-(\d+)(?:[ T](\d+):(\d+):(\d+)(?:\.(\d+))?)?/.exec(s);
  if (!m) return [0, 0, 0, 0, 0, 0, 0];
  const micro = m[7] ? Number((m[7] + "000000").slice(0, 6)) : 0;
  return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), micro];
}

function writeDateTime(w: PacketWriter, text: string, dateOnly: boolean): void {
  const [y, mo, d, h, mi, s, us] = parseDateTime(text) as [number, number, number, number, number, number, number];
  if (dateOnly || (h === 0 && mi === 0 && s === 0 && us === 0)) {
    if (y === 0 && mo === 0 && d === 0) w.u8(0);
    else w.u8(4).u16(y).u8(mo).u8(d);
    return;
  }
  if (us === 0) w.u8(7).u16(y).u8(mo).u8(d).u8(h).u8(mi).u8(s);
  else w.u8(11).u16(y).u8(mo).u8(d).u8(h).u8(mi).u8(s).u32(us);
}

function writeTime(w: PacketWriter, text: string): void {
  const m = /^(-)?(\d+):(\d+):(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) {
    w.u8(0);
    return;
  }
  const hoursTotal = Number(m[2]);
  const us = m[5] ? Number((m[5] + "000000").slice(0, 6)) : 0;
  const days = Math.floor(hoursTotal / 24);
  const neg = m[1] === "-" ? 1 : 0;
  if (!neg && hoursTotal === 0 && Number(m[3]) === 0 && Number(m[4]) === 0 && us === 0) {
    w.u8(0);
    return;
  }
  w.u8(us === 0 ? 8 : 12).u8(neg).u32(days).u8(hoursTotal % 24).u8(Number(m[3])).u8(Number(m[4]));
  if (us !== 0) w.u32(us);
}

/**
 * Writes one non-NULL value in the binary protocol for MySQL wire type `mysqlType`, converting from its
 * text-protocol bytes: fixed-width little-endian integers and floats, length-prefixed date/time structs, and
 * length-encoded bytes for everything else (decimals, strings, blobs, JSON, BIT, ENUM, SET, geometry).
 */
export function writeBinaryValue(w: PacketWriter, mysqlType: number, unsigned: boolean, text: Uint8Array): void {
  switch (mysqlType) {
    case MysqlType.TINY:
      w.u8(parseSmallInt(text) & 0xff);
      return;
    case MysqlType.SHORT:
    case MysqlType.YEAR:
      w.u16(parseSmallInt(text) & 0xffff);
      return;
    case MysqlType.INT24:
    case MysqlType.LONG:
      w.u32(parseSmallInt(text) >>> 0);
      return;
    case MysqlType.LONGLONG: {
      const v = BigInt(ascii(text));
      if (unsigned) w.u64(v);
      else w.i64(v);
      return;
    }
    case MysqlType.FLOAT:
      w.f32(Number(ascii(text)));
      return;
    case MysqlType.DOUBLE:
      w.f64(Number(ascii(text)));
      return;
    case MysqlType.DATE:
    case MysqlType.NEWDATE:
      writeDateTime(w, ascii(text), true);
      return;
    case MysqlType.DATETIME:
    case MysqlType.TIMESTAMP:
    case MysqlType.DATETIME2:
    case MysqlType.TIMESTAMP2:
      writeDateTime(w, ascii(text), false);
      return;
    case MysqlType.TIME:
    case MysqlType.TIME2:
      writeTime(w, ascii(text));
      return;
    default:
      w.lenencBytes(text);
  }
}
