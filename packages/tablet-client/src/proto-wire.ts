// Protobuf wire-format primitives for the hand-written hot-path codecs (mux-codec.ts, mux-fast-codec.ts).

/** Bytes a varint of `v` (a non-negative safe integer) takes. */
export function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let n = 5;
  v = Math.floor(v / 0x800000000);
  while (v > 0) { n++; v = Math.floor(v / 128); }
  return n;
}

/** A growable output buffer with protobuf primitives. Not reused after `take()`. */
export class Out {
  buf: Buffer;
  pos = 0;

  constructor(size = 256) { this.buf = Buffer.allocUnsafe(size); }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** A 64-bit integer field value (int64 two's complement / uint64). */
  varint64(v: bigint): void {
    if (v >= 0n && v <= 0x1fffffffffffffn) { this.varint(Number(v)); return; }
    let u = BigInt.asUintN(64, v);
    this.ensure(10);
    while (u > 0x7fn) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  tag(field: number, wire: number): void { this.varint(field * 8 + wire); }

  string(field: number, s: string): void {
    if (s === "") return;
    this.tag(field, 2);
    if (s.length < 128) { // ASCII: one length byte, bytes copied here (no call into C++)
      this.ensure(s.length + 1);
      const buf = this.buf;
      const from = this.pos + 1;
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 128) break;
        buf[from + i] = c;
      }
      if (i === s.length) {
        buf[this.pos] = i;
        this.pos = from + i;
        return;
      }
    }
    if (s.length < 43) { // at most 127 UTF-8 bytes: one length byte, written after the text
      this.ensure(129);
      const at = this.pos++;
      const n = this.buf.write(s, this.pos, "utf8");
      this.buf[at] = n;
      this.pos += n;
      return;
    }
    const n = Buffer.byteLength(s, "utf8");
    this.varint(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  bytes(field: number, b: Uint8Array): void {
    if (b.length === 0) return;
    this.tag(field, 2);
    this.varint(b.length);
    this.raw(b);
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Writes a length-delimited sub-message: reserves room for the length and moves the body if needed. */
  message(field: number, body: () => void): void {
    const at = this.begin(field);
    body();
    this.end(at);
  }

  /** Starts a small sub-message (tag + one reserved length byte); returns where the length goes. */
  begin(field: number): number {
    this.tag(field, 2);
    this.ensure(5);
    return this.pos++;
  }

  /** Ends a sub-message started with {@link begin}: writes its length, moving the body when it needs more bytes. */
  end(lenAt: number): void {
    const len = this.pos - lenAt - 1;
    if (len < 128) { this.buf[lenAt] = len; return; }
    const lenBytes = varintSize(len);
    this.ensure(lenBytes - 1);
    this.buf.copy(this.buf, lenAt + lenBytes, lenAt + 1, this.pos);
    this.pos += lenBytes - 1;
    let v = len;
    for (let i = 0; i < lenBytes; i++) {
      this.buf[lenAt + i] = i < lenBytes - 1 ? (v & 0x7f) | 0x80 : v;
      v >>>= 7;
    }
  }

  /**
   * Starts a sub-message whose length is written as a padded 5-byte varint (valid protobuf: parsers accept
   * redundant continuation bytes), so a big body is never moved. Returns where the length goes.
   */
  beginWide(field: number): number {
    this.tag(field, 2);
    this.ensure(5);
    const at = this.pos;
    this.pos += 5;
    return at;
  }

  /** Ends a sub-message started with {@link beginWide}. */
  endWide(at: number): void {
    let v = this.pos - at - 5;
    for (let i = 0; i < 4; i++) { this.buf[at + i] = (v & 0x7f) | 0x80; v >>>= 7; }
    this.buf[at + 4] = v;
  }

  /** Starts a length-prefixed frame (4-byte big-endian length); returns where the length goes. */
  beginFrame(): number {
    this.ensure(4);
    const at = this.pos;
    this.pos += 4;
    return at;
  }

  /** Ends a frame started with {@link beginFrame}. */
  endFrame(at: number): void {
    this.buf.writeUInt32BE(this.pos - at - 4, at);
  }

  take(): Buffer { return this.buf.subarray(0, this.pos); }
}

/** A cursor over protobuf bytes. */
export class In {
  pos: number;
  constructor(readonly b: Buffer, start = 0, readonly end = b.length) { this.pos = start; }

  varint(): number {
    const b = this.b;
    let c = b[this.pos++]!;
    if (c < 0x80) return c;
    let v = c & 0x7f;
    let mul = 128;
    for (;;) {
      c = b[this.pos++]!;
      v += (c & 0x7f) * mul;
      if (c < 0x80) return v;
      mul *= 128;
    }
  }

  varint64(): bigint {
    const start = this.pos;
    let n = 0;
    while (this.b[this.pos + n]! >= 0x80) n++;
    if (n < 7) return BigInt(this.varint());
    let v = 0n;
    for (let i = n; i >= 0; i--) v = (v << 7n) | BigInt(this.b[start + i]! & 0x7f);
    this.pos = start + n + 1;
    return BigInt.asUintN(64, v);
  }

  /** An int64 field value (two's complement). */
  int64(): bigint {
    return BigInt.asIntN(64, this.varint64());
  }

  string(): string {
    const n = this.varint();
    const s = this.b.toString("utf8", this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  bytes(): Buffer {
    const n = this.varint();
    const s = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.pos += this.varint();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

/** Zigzag decoding of a sint64 that fits a safe integer. */
export const unzigzag = (n: number): number => (n % 2 === 1 ? -(n + 1) / 2 : n / 2);
