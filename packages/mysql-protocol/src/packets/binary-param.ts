import { MysqlType, Type, type Value } from "@vt/sqltypes";
import { malformed, type PayloadReader } from "./payload-reader.js";

const pad = (n: number, w: number): string => String(n).padStart(w, "0");
const latin1 = (s: string): Buffer => Buffer.from(s, "latin1");

function readDate(r: PayloadReader, withTime: boolean): string {
  const len = r.u8();
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, us = 0;
  if (len >= 4) {
    y = r.u16(); mo = r.u8(); d = r.u8();
  }
  if (len >= 7) {
    h = r.u8(); mi = r.u8(); s = r.u8();
  }
  if (len >= 11) us = r.u32();
  if (len !== 0 && len !== 4 && len !== 7 && len !== 11) throw malformed(`bad date length ${len}`);
  const date = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
  if (!withTime) return date;
  return `${date} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${us ? "." + pad(us, 6) : ""}`;
}

function readTime(r: PayloadReader): string {
  const len = r.u8();
  if (len === 0) return "00:00:00";
  if (len !== 8 && len !== 12) throw malformed(`bad time length ${len}`);
  const neg = r.u8();
  const days = r.u32();
  const h = r.u8(), mi = r.u8(), s = r.u8();
  const us = len === 12 ? r.u32() : 0;
  return `${neg ? "-" : ""}${pad(days * 24 + h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${us ? "." + pad(us, 6) : ""}`;
}

/** Shortest text that round-trips a float32. */
function float32Text(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p < 10; p++) {
    const c = Number(v.toPrecision(p));
    if (Math.fround(c) === v) return String(c);
  }
  return String(v);
}

/** The Vitess type a string-like parameter becomes: binary for blobs/geometry/bit, text otherwise. */
function stringType(mysqlType: number): number {
  switch (mysqlType) {
    case MysqlType.TINY_BLOB: case MysqlType.MEDIUM_BLOB: case MysqlType.LONG_BLOB: case MysqlType.BLOB:
    case MysqlType.GEOMETRY: case MysqlType.BIT:
      return Type.VARBINARY;
    case MysqlType.JSON:
      return Type.JSON;
    case MysqlType.DECIMAL: case MysqlType.NEWDECIMAL:
      return Type.DECIMAL;
    default:
      return Type.VARCHAR;
  }
}

/**
 * Reads one binary-protocol parameter value of wire type `mysqlType` and converts it to a Value holding its
 * text form (what a text-protocol client would have written), so the rest of vtgate sees one representation.
 * Throws SqlError 1835 when the value is truncated or malformed.
 */
export function readBinaryParam(r: PayloadReader, mysqlType: number, unsigned: boolean): Value {
  switch (mysqlType) {
    case MysqlType.NULL:
      return { type: Type.NULL_TYPE, raw: null };
    case MysqlType.TINY: {
      const v = r.u8();
      return unsigned ? { type: Type.UINT8, raw: latin1(String(v)) } : { type: Type.INT8, raw: latin1(String((v << 24) >> 24)) };
    }
    case MysqlType.SHORT:
    case MysqlType.YEAR: {
      const v = r.u16();
      if (mysqlType === MysqlType.YEAR) return { type: Type.YEAR, raw: latin1(String(v)) };
      return unsigned ? { type: Type.UINT16, raw: latin1(String(v)) } : { type: Type.INT16, raw: latin1(String((v << 16) >> 16)) };
    }
    case MysqlType.INT24:
    case MysqlType.LONG: {
      const v = r.u32();
      return unsigned ? { type: Type.UINT32, raw: latin1(String(v)) } : { type: Type.INT32, raw: latin1(String(v | 0)) };
    }
    case MysqlType.LONGLONG: {
      const v = r.u64();
      return unsigned ? { type: Type.UINT64, raw: latin1(v.toString()) } : { type: Type.INT64, raw: latin1(BigInt.asIntN(64, v).toString()) };
    }
    case MysqlType.FLOAT: {
      const v = r.bytes(4).readFloatLE(0);
      return { type: Type.FLOAT32, raw: latin1(float32Text(v)) };
    }
    case MysqlType.DOUBLE: {
      const v = r.bytes(8).readDoubleLE(0);
      return { type: Type.FLOAT64, raw: latin1(String(v)) };
    }
    case MysqlType.DATE:
    case MysqlType.NEWDATE:
      return { type: Type.DATE, raw: latin1(readDate(r, false)) };
    case MysqlType.DATETIME:
    case MysqlType.DATETIME2:
      return { type: Type.DATETIME, raw: latin1(readDate(r, true)) };
    case MysqlType.TIMESTAMP:
    case MysqlType.TIMESTAMP2:
      return { type: Type.TIMESTAMP, raw: latin1(readDate(r, true)) };
    case MysqlType.TIME:
    case MysqlType.TIME2:
      return { type: Type.TIME, raw: latin1(readTime(r)) };
    case MysqlType.DECIMAL: case MysqlType.NEWDECIMAL: case MysqlType.VARCHAR: case MysqlType.VAR_STRING:
    case MysqlType.STRING: case MysqlType.ENUM: case MysqlType.SET: case MysqlType.TINY_BLOB:
    case MysqlType.MEDIUM_BLOB: case MysqlType.LONG_BLOB: case MysqlType.BLOB: case MysqlType.GEOMETRY:
    case MysqlType.BIT: case MysqlType.JSON:
      return { type: stringType(mysqlType), raw: Buffer.from(r.lenencBytes()) };
    default:
      throw malformed(`unsupported parameter type ${mysqlType}`);
  }
}

/** The Value a parameter gets from COM_STMT_SEND_LONG_DATA bytes, given its declared wire type. */
export function longDataParam(mysqlType: number, data: Buffer): Value {
  return { type: stringType(mysqlType), raw: data };
}
