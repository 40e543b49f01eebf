/** Largest payload one wire packet can carry; a payload of this size or more is split. */
export const MAX_PACKET_PAYLOAD = 0xffffff;

/**
 * Accumulates outgoing packets (4-byte header + payload) in one growing buffer so that a whole result goes out
 * in one socket write. Codecs call `begin()`, write the payload with the typed writers, then `end()`, which fills
 * in the header (length and sequence id) in place and splits payloads of 16 MiB - 1 bytes or more into
 * several packets, as the protocol requires.
 *
 * Requires: begin/end are strictly paired (no nesting).
 */
export class PacketWriter {
  private buf: Buffer;
  private pos = 0;
  private start = -1;
  /** Size the buffer grows straight to: that of the large output last handed out by take() (until release()). */
  private regrowTo = 0;
  /** Sequence id the next packet gets; wraps at 256. */
  seq = 0;

  /**
   * `initialSize` is also the size the buffer returns to after a large output is handed out, so an idle
   * connection holds only this much (small sizes come from Node's shared pool).
   */
  constructor(private readonly initialSize = 2048) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes buffered (complete packets plus any packet in progress). */
  get length(): number {
    return this.pos;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = Math.max(this.buf.length * 2, this.regrowTo);
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Starts a packet: reserves its header. */
  begin(): this {
    this.ensure(4);
    this.start = this.pos;
    this.pos += 4;
    return this;
  }

  /** Finishes the packet started by begin(): writes header(s), advancing the sequence id. */
  end(): void {
    const len = this.pos - this.start - 4;
    if (len < MAX_PACKET_PAYLOAD) {
      this.buf.writeUIntLE(len, this.start, 3);
      this.buf[this.start + 3] = this.seq;
      this.seq = (this.seq + 1) & 0xff;
    } else {
      this.split(len);
    }
    this.start = -1;
  }

  /** Rewrites an oversized payload as ⌊len/MAX⌋+1 packets (the last one possibly empty). */
  private split(len: number): void {
    const payload = Buffer.from(this.buf.subarray(this.start + 4, this.pos));
    const parts = Math.floor(len / MAX_PACKET_PAYLOAD) + 1;
    this.pos = this.start;
    this.ensure(len + 4 * parts);
    for (let i = 0; i < parts; i++) {
      const from = i * MAX_PACKET_PAYLOAD;
      const n = Math.min(MAX_PACKET_PAYLOAD, len - from);
      this.buf.writeUIntLE(n, this.pos, 3);
      this.buf[this.pos + 3] = this.seq;
      this.seq = (this.seq + 1) & 0xff;
      payload.copy(this.buf, this.pos + 4, from, from + n);
      this.pos += 4 + n;
    }
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
    return this;
  }

  u24(v: number): this {
    this.ensure(3);
    this.buf.writeUIntLE(v, this.pos, 3);
    this.pos += 3;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  u64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.pos);
    this.pos += 8;
    return this;
  }

  i64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt.asIntN(64, v), this.pos);
    this.pos += 8;
    return this;
  }

  f32(v: number): this {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.pos);
    this.pos += 4;
    return this;
  }

  f64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
    return this;
  }

  /** Overwrites one already-written byte at absolute offset `at` (used for bitmaps filled after the fact). */
  patchU8(at: number, v: number): void {
    this.buf[at] = v;
  }

  /** Reads back one already-written byte at absolute offset `at`. */
  peekU8(at: number): number {
    return this.buf[at] as number;
  }

  /** Length-encoded integer (1, 3, 4 or 9 bytes). */
  lenencInt(v: number | bigint): this {
    if (typeof v === "bigint") {
      if (v < 0n) v = BigInt.asUintN(64, v);
      if (v >= 0x1000000n) {
        this.u8(0xfe);
        return this.u64(v);
      }
      v = Number(v);
    }
    if (v < 251) return this.u8(v);
    if (v < 0x10000) return this.u8(0xfc).u16(v);
    if (v < 0x1000000) return this.u8(0xfd).u24(v);
    this.u8(0xfe);
    return this.u64(BigInt(v));
  }

  /** Raw bytes. */
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** `n` zero bytes. */
  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  /** UTF-8 string without terminator (a "rest of packet" string). */
  str(s: string): this {
    const n = Buffer.byteLength(s, "utf8");
    this.ensure(n);
    this.buf.write(s, this.pos, n, "utf8");
    this.pos += n;
    return this;
  }

  /** NUL-terminated UTF-8 string. */
  nulStr(s: string): this {
    return this.str(s).u8(0);
  }

  /** Length-encoded UTF-8 string. */
  lenencStr(s: string): this {
    const len = s.length;
    if (len < 251) {
      // Short ASCII text (names, most values): one length byte, bytes copied here (no call into C++).
      this.ensure(len + 1);
      const buf = this.buf;
      const at = this.pos + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 128) break;
        buf[at + i] = c;
      }
      if (i === len) {
        buf[this.pos] = len;
        this.pos = at + len;
        return this;
      }
    }
    const n = Buffer.byteLength(s, "utf8");
    this.lenencInt(n);
    this.ensure(n);
    this.buf.write(s, this.pos, n, "utf8");
    this.pos += n;
    return this;
  }

  /** Text-protocol row packets for all `rows`, with room for them made once (not by doubling as they are written). */
  textRows(rows: ReadonlyArray<ReadonlyArray<Uint8Array | null | undefined>>): void {
    let total = 0;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      total += 4;
      for (let i = 0; i < row.length; i++) {
        const v = row[i];
        total += v === null || v === undefined ? 1 : lenencIntSize(v.length) + v.length;
      }
    }
    if (total < MAX_PACKET_PAYLOAD) this.ensure(total);
    for (let r = 0; r < rows.length; r++) this.textRow(rows[r]!);
  }

  /**
   * One text-protocol row packet (each cell a length-encoded string, 0xfb for NULL), sized first and written with one
   * `ensure`: the per-cell writers' bounds checks and calls cost more than the copying for short values.
   */
  textRow(row: ReadonlyArray<Uint8Array | null | undefined>): void {
    let len = 0;
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      len += v === null || v === undefined ? 1 : lenencIntSize(v.length) + v.length;
    }
    if (len >= MAX_PACKET_PAYLOAD) {
      this.begin();
      for (let i = 0; i < row.length; i++) {
        const v = row[i];
        if (v === null || v === undefined) this.u8(0xfb);
        else this.lenencBytes(v);
      }
      this.end();
      return;
    }
    this.ensure(len + 4);
    const buf = this.buf;
    let p = this.pos;
    buf[p] = len & 0xff;
    buf[p + 1] = (len >>> 8) & 0xff;
    buf[p + 2] = len >>> 16;
    buf[p + 3] = this.seq;
    this.seq = (this.seq + 1) & 0xff;
    p += 4;
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (v === null || v === undefined) { buf[p++] = 0xfb; continue; }
      const n = v.length;
      if (n < 251) buf[p++] = n;
      else if (n < 0x10000) { buf[p] = 0xfc; buf[p + 1] = n & 0xff; buf[p + 2] = n >>> 8; p += 3; }
      else { buf[p] = 0xfd; buf[p + 1] = n & 0xff; buf[p + 2] = (n >>> 8) & 0xff; buf[p + 3] = n >>> 16; p += 4; }
      if (n < 16) for (let j = 0; j < n; j++) buf[p + j] = v[j]!;
      else buf.set(v, p);
      p += n;
    }
    this.pos = p;
  }

  /** Length-encoded byte string. */
  lenencBytes(b: Uint8Array): this {
    return this.lenencInt(b.length).bytes(b);
  }

  /**
   * Hands out everything buffered and empties the writer. Small outputs are copied (from Node's pooled
   * allocator) so the buffer is reused; large ones are handed over and the writer starts again from a buffer
   * of `initialSize`, so memory from one big result is not kept per connection.
   * Requires: no packet in progress.
   */
  take(): Buffer {
    const n = this.pos;
    this.pos = 0;
    if (n <= 4096 && this.buf.length <= 65536) {
      const out = Buffer.allocUnsafe(n);
      this.buf.copy(out, 0, 0, n);
      return out;
    }
    const out = this.buf.subarray(0, n);
    // Mid-stream the next chunk is as large as this one: the next ensure() grows straight to this size (up to
    // 256 KiB) instead of doubling from initialSize (each doubling a copy). Allocated only then, so the last output
    // of a command costs no replacement buffer; release() forgets the size.
    this.regrowTo = Math.min(this.buf.length, 256 * 1024);
    this.buf = Buffer.allocUnsafe(this.initialSize);
    return out;
  }

  /** Drops a grown buffer (nothing must be buffered), so an idle connection holds only initialSize bytes. */
  release(): void {
    if (this.pos !== 0) return;
    this.regrowTo = 0;
    if (this.buf.length > this.initialSize) this.buf = Buffer.allocUnsafe(this.initialSize);
  }
}

/** Bytes a length-encoded integer takes. */
export function lenencIntSize(v: number): number {
  if (v < 251) return 1;
  if (v < 0x10000) return 3;
  if (v < 0x1000000) return 4;
  return 9;
}
