/** Flag bits of Vitess's query.Type encoding. */
export const Flag = {
  ISINTEGRAL: 256,
  ISUNSIGNED: 512,
  ISFLOAT: 1024,
  ISQUOTED: 2048,
  ISTEXT: 4096,
  ISBINARY: 8192,
} as const;

/** Vitess query.Type values (identical numbers to proto/query.proto's `Type` enum). */
export const Type = {
  NULL_TYPE: 0,
  INT8: 257,
  UINT8: 770,
  INT16: 259,
  UINT16: 772,
  INT24: 261,
  UINT24: 774,
  INT32: 263,
  UINT32: 776,
  INT64: 265,
  UINT64: 778,
  FLOAT32: 1035,
  FLOAT64: 1036,
  TIMESTAMP: 2061,
  DATE: 2062,
  TIME: 2063,
  DATETIME: 2064,
  YEAR: 785,
  DECIMAL: 18,
  TEXT: 6163,
  BLOB: 10260,
  VARCHAR: 6165,
  VARBINARY: 10262,
  CHAR: 6167,
  BINARY: 10264,
  BIT: 2073,
  ENUM: 2074,
  SET: 2075,
  TUPLE: 28,
  GEOMETRY: 2077,
  JSON: 2078,
  EXPRESSION: 31,
  HEXNUM: 4128,
  HEXVAL: 4129,
  BITNUM: 4130,
} as const;
export type Type = (typeof Type)[keyof typeof Type];

const names = new Map<number, string>(Object.entries(Type).map(([k, v]) => [v, k]));
/** "INT64" for 265, etc. */
export const typeName = (t: number): string => names.get(t) ?? `UNKNOWN(${t})`;
export const isIntegral = (t: number): boolean => (t & Flag.ISINTEGRAL) !== 0;
export const isSigned = (t: number): boolean => (t & Flag.ISINTEGRAL) !== 0 && (t & Flag.ISUNSIGNED) === 0;
export const isUnsigned = (t: number): boolean => (t & Flag.ISUNSIGNED) !== 0;
export const isFloat = (t: number): boolean => (t & Flag.ISFLOAT) !== 0;
export const isQuoted = (t: number): boolean => (t & Flag.ISQUOTED) !== 0 && t !== Type.BIT;
export const isText = (t: number): boolean => (t & Flag.ISTEXT) !== 0;
export const isBinary = (t: number): boolean => (t & Flag.ISBINARY) !== 0;
/** Integral, float or DECIMAL. */
export const isNumber = (t: number): boolean => isIntegral(t) || isFloat(t) || t === Type.DECIMAL;
