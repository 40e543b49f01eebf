// Conversions from @vt/sqltypes Values to the integers and bytes vindexes hash, with Vitess's parsing rules.
import { SqlError } from "@vt/errors";
import { Type, isSigned, type Value } from "@vt/sqltypes";

const dec = new TextDecoder();
const U64_MAX = (1n << 64n) - 1n;

/** Error raised by vindexes for unusable input values (errno 1105, INVALID_ARGUMENT). */
export function vindexError(msg: string): SqlError {
  return new SqlError(1105, "HY000", msg, "INVALID_ARGUMENT");
}

/** The value's text, or "" for NULL. */
export function rawString(v: Value): string {
  return v.raw === null ? "" : dec.decode(v.raw);
}

/** Parses an unsigned decimal like Vitess's fastparse.ParseUint64. Throws `cannot parse uint64 from "x"`. */
export function parseUint64(s: string): bigint {
  if (!/^\d+$/.test(s)) throw vindexError(`cannot parse uint64 from ${JSON.stringify(s)}`);
  const n = BigInt(s);
  if (n > U64_MAX) throw vindexError(`cannot parse uint64 from ${JSON.stringify(s)}: overflow`);
  return n;
}

/** Parses a signed decimal as int64 (Go's strconv.ParseInt base 10). Throws on bad text or overflow. */
export function parseInt64(s: string): bigint {
  if (!/^[-+]?\d+$/.test(s)) throw vindexError(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n < -(1n << 63n) || n >= 1n << 63n) throw vindexError(`strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

/**
 * The value as a uint64, as the hash/numeric vindexes read it: signed integer types are parsed as int64 and taken
 * in two's complement (-1 → 2^64-1); everything else must be an unsigned decimal text. NULL throws.
 */
export function valueToUint64(v: Value): bigint {
  if (v.raw === null || v.type === Type.NULL_TYPE) throw vindexError("cannot hash a NULL value");
  const s = rawString(v);
  if (isSigned(v.type)) return BigInt.asUintN(64, parseInt64(s));
  return parseUint64(s);
}

/** Decodes a hex literal body (HEXVAL `x'0a'` or HEXNUM `0x0a`) into bytes; odd digit counts get a leading 0. */
function hexBytes(s: string): Uint8Array {
  let h = s;
  if (/^0x/i.test(h)) h = h.slice(2);
  else if (/^x'.*'$/i.test(h)) h = h.slice(2, -1);
  if (h.length % 2 === 1) h = "0" + h;
  if (!/^[0-9a-fA-F]*$/.test(h)) throw vindexError(`invalid hex value: ${s}`);
  return Uint8Array.from(Buffer.from(h, "hex"));
}

/** Decodes a bit literal (`0b101` or `b'101'`) into big-endian bytes. */
function bitBytes(s: string): Uint8Array {
  let b = s;
  if (/^0b/i.test(b)) b = b.slice(2);
  else if (/^b'.*'$/i.test(b)) b = b.slice(2, -1);
  if (!/^[01]*$/.test(b)) throw vindexError(`invalid bit value: ${s}`);
  let n = b === "" ? 0n : BigInt("0b" + b);
  const out: number[] = [];
  while (n > 0n) { out.unshift(Number(n & 255n)); n >>= 8n; }
  return Uint8Array.from(out);
}

/** The value's bytes as Vitess's Value.ToBytes: raw bytes (empty for NULL); hex and bit literals decoded. */
export function valueToBytes(v: Value): Uint8Array {
  if (v.raw === null) return new Uint8Array(0);
  if (v.type === Type.HEXNUM || v.type === Type.HEXVAL) return hexBytes(rawString(v));
  if (v.type === Type.BITNUM) return bitBytes(rawString(v));
  return v.raw;
}

/** 8 big-endian bytes of a uint64. */
export function uint64ToBytes(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, n), false);
  return out;
}

/** Reads 8 big-endian bytes as a uint64. Requires: b.length === 8. */
export function bytesToUint64(b: Uint8Array): bigint {
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, false);
}

/** Lower-case hex of bytes. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

/** Byte equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The byte string one above `b` as a key-range end (carrying); all-0xff (or empty) gives an empty, unbounded end. */
export function addOne(b: Uint8Array): Uint8Array {
  const out = Uint8Array.from(b);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== 0xff) { out[i] = (out[i] as number) + 1; return out; }
    out[i] = 0;
  }
  return new Uint8Array(0);
}
