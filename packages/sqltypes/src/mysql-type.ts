import { Type } from "./type.js";

/** MySQL wire column types (mysql_com.h enum_field_types). */
export const MysqlType = {
  DECIMAL: 0, TINY: 1, SHORT: 2, LONG: 3, FLOAT: 4, DOUBLE: 5, NULL: 6, TIMESTAMP: 7, LONGLONG: 8, INT24: 9,
  DATE: 10, TIME: 11, DATETIME: 12, YEAR: 13, NEWDATE: 14, VARCHAR: 15, BIT: 16, TIMESTAMP2: 17, DATETIME2: 18,
  TIME2: 19, JSON: 245, NEWDECIMAL: 246, ENUM: 247, SET: 248, TINY_BLOB: 249, MEDIUM_BLOB: 250, LONG_BLOB: 251,
  BLOB: 252, VAR_STRING: 253, STRING: 254, GEOMETRY: 255,
} as const;

const UNSIGNED_FLAG = 32;
const BINARY_FLAG = 128;
const ENUM_FLAG = 256;
const SET_FLAG = 2048;
const BINARY_CHARSET = 63;

/**
 * Maps a MySQL column (wire type, column flags, charset) to Vitess's query.Type, as Vitess's MySQLToType does:
 * unsigned ints get UINT*, BLOB/STRING/VAR_STRING become TEXT/VARCHAR/CHAR unless the charset is binary,
 * STRING with ENUM/SET flag becomes ENUM/SET.
 */
export function typeFromMySQL(mysqlType: number, flags: number, charset = 0): number {
  const unsigned = (flags & UNSIGNED_FLAG) !== 0;
  const binary = charset === BINARY_CHARSET || (charset === 0 && (flags & BINARY_FLAG) !== 0);
  switch (mysqlType) {
    case MysqlType.TINY: return unsigned ? Type.UINT8 : Type.INT8;
    case MysqlType.SHORT: return unsigned ? Type.UINT16 : Type.INT16;
    case MysqlType.INT24: return unsigned ? Type.UINT24 : Type.INT24;
    case MysqlType.LONG: return unsigned ? Type.UINT32 : Type.INT32;
    case MysqlType.LONGLONG: return unsigned ? Type.UINT64 : Type.INT64;
    case MysqlType.FLOAT: return Type.FLOAT32;
    case MysqlType.DOUBLE: return Type.FLOAT64;
    case MysqlType.NULL: return Type.NULL_TYPE;
    case MysqlType.TIMESTAMP: case MysqlType.TIMESTAMP2: return Type.TIMESTAMP;
    case MysqlType.DATE: case MysqlType.NEWDATE: return Type.DATE;
    case MysqlType.TIME: case MysqlType.TIME2: return Type.TIME;
    case MysqlType.DATETIME: case MysqlType.DATETIME2: return Type.DATETIME;
    case MysqlType.YEAR: return Type.YEAR;
    case MysqlType.DECIMAL: case MysqlType.NEWDECIMAL: return Type.DECIMAL;
    case MysqlType.BIT: return Type.BIT;
    case MysqlType.JSON: return Type.JSON;
    case MysqlType.ENUM: return Type.ENUM;
    case MysqlType.SET: return Type.SET;
    case MysqlType.GEOMETRY: return Type.GEOMETRY;
    case MysqlType.TINY_BLOB: case MysqlType.MEDIUM_BLOB: case MysqlType.LONG_BLOB: case MysqlType.BLOB:
      return binary ? Type.BLOB : Type.TEXT;
    case MysqlType.VARCHAR: case MysqlType.VAR_STRING:
      return binary ? Type.VARBINARY : Type.VARCHAR;
    case MysqlType.STRING:
      if ((flags & ENUM_FLAG) !== 0) return Type.ENUM;
      if ((flags & SET_FLAG) !== 0) return Type.SET;
      return binary ? Type.BINARY : Type.CHAR;
    default: return Type.VARBINARY;
  }
}

/** Maps Vitess's query.Type back to the MySQL wire type and the flag bits it implies (Vitess's TypeToMySQL). */
export function typeToMySQL(t: number): { mysqlType: number; flags: number } {
  switch (t) {
    case Type.INT8: return { mysqlType: MysqlType.TINY, flags: 0 };
    case Type.UINT8: return { mysqlType: MysqlType.TINY, flags: UNSIGNED_FLAG };
    case Type.INT16: return { mysqlType: MysqlType.SHORT, flags: 0 };
    case Type.UINT16: return { mysqlType: MysqlType.SHORT, flags: UNSIGNED_FLAG };
    case Type.INT24: return { mysqlType: MysqlType.INT24, flags: 0 };
    case Type.UINT24: return { mysqlType: MysqlType.INT24, flags: UNSIGNED_FLAG };
    case Type.INT32: return { mysqlType: MysqlType.LONG, flags: 0 };
    case Type.UINT32: return { mysqlType: MysqlType.LONG, flags: UNSIGNED_FLAG };
    case Type.INT64: return { mysqlType: MysqlType.LONGLONG, flags: 0 };
    case Type.UINT64: return { mysqlType: MysqlType.LONGLONG, flags: UNSIGNED_FLAG };
    case Type.FLOAT32: return { mysqlType: MysqlType.FLOAT, flags: 0 };
    case Type.FLOAT64: return { mysqlType: MysqlType.DOUBLE, flags: 0 };
    case Type.TIMESTAMP: return { mysqlType: MysqlType.TIMESTAMP, flags: 0 };
    case Type.DATE: return { mysqlType: MysqlType.DATE, flags: 0 };
    case Type.TIME: return { mysqlType: MysqlType.TIME, flags: 0 };
    case Type.DATETIME: return { mysqlType: MysqlType.DATETIME, flags: 0 };
    case Type.YEAR: return { mysqlType: MysqlType.YEAR, flags: UNSIGNED_FLAG };
    case Type.DECIMAL: return { mysqlType: MysqlType.NEWDECIMAL, flags: 0 };
    case Type.TEXT: return { mysqlType: MysqlType.BLOB, flags: 0 };
    case Type.BLOB: return { mysqlType: MysqlType.BLOB, flags: BINARY_FLAG };
    case Type.VARCHAR: return { mysqlType: MysqlType.VAR_STRING, flags: 0 };
    case Type.VARBINARY: return { mysqlType: MysqlType.VAR_STRING, flags: BINARY_FLAG };
    case Type.CHAR: return { mysqlType: MysqlType.STRING, flags: 0 };
    case Type.BINARY: return { mysqlType: MysqlType.STRING, flags: BINARY_FLAG };
    case Type.BIT: return { mysqlType: MysqlType.BIT, flags: UNSIGNED_FLAG };
    case Type.ENUM: return { mysqlType: MysqlType.STRING, flags: ENUM_FLAG };
    case Type.SET: return { mysqlType: MysqlType.STRING, flags: SET_FLAG };
    case Type.GEOMETRY: return { mysqlType: MysqlType.GEOMETRY, flags: 0 };
    case Type.JSON: return { mysqlType: MysqlType.JSON, flags: 0 };
    case Type.NULL_TYPE: return { mysqlType: MysqlType.NULL, flags: 0 };
    default: return { mysqlType: MysqlType.VAR_STRING, flags: BINARY_FLAG };
  }
}
