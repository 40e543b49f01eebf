import { SqlError } from "@vt/errors";
import { ProtoER } from "../constants/errors.js";

/** Thrown for payloads that end early or hold impossible values (ER_MALFORMED_PACKET 1835 / HY000). */
export function malformed(what: string): SqlError {
  return new SqlError(ProtoER.MALFORMED_PACKET, "HY000", `Malformed communication packet: ${what}`, "INVALID_ARGUMENT");
}

/**
 * A cursor over one packet payload, for decoding what clients send. Every read checks bounds and throws
 * `malformed()` (SqlError 1835) past the end, so truncated packets never read garbage.
 */
export class PayloadReader {
  constructor(readonly buf: Buffer, public pos = 0) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw malformed("truncated packet");
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u24(): number {
    this.need(3);
    const v = this.buf.readUIntLE(this.pos, 3);
    this.pos += 3;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Length-encoded integer; 0xfb (NULL marker) yields null. Values beyond 2^53 throw. */
  lenencInt(): number | null {
    const first = this.u8();
    if (first < 0xfb) return first;
    if (first === 0xfb) return null;
    if (first === 0xfc) return this.u16();
    if (first === 0xfd) return this.u24();
    if (first === 0xfe) {
      const v = this.u64();
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed("length too large");
      return Number(v);
    }
    throw malformed("bad length-encoded integer");
  }

  /** `n` bytes as a view (no copy). */
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** Length-encoded byte string (view). */
  lenencBytes(): Buffer {
    const n = this.lenencInt();
    if (n === null) throw malformed("unexpected NULL");
    return this.bytes(n);
  }

  /** Bytes up to the next NUL (view); the NUL is consumed. Missing terminator throws. */
  nulBytes(): Buffer {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw malformed("missing string terminator");
    const b = this.buf.subarray(this.pos, end);
    this.pos = end + 1;
    return b;
  }

  nulStr(): string {
    return this.nulBytes().toString("utf8");
  }

  /** Everything left (view). */
  rest(): Buffer {
    const b = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return b;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}
