/**
 * Splits a byte stream into frames of a 4-byte big-endian length followed by that many bytes. A frame that spans
 * several chunks is joined once, when its last byte arrives. Frames are views into the received chunks.
 */
export class FrameReader {
  private parts: Buffer[] = [];
  private have = 0;
  /** Bytes needed before the pending parts hold a whole frame (0: not known yet). */
  private need = 0;

  constructor(private readonly onFrame: (frame: Buffer) => void, private readonly maxFrame = 256 * 1024 * 1024) {}

  /** Feeds received bytes; calls onFrame for each complete frame. Throws when a frame is larger than allowed. */
  push(chunk: Buffer): void {
    if (this.have > 0) {
      this.parts.push(chunk);
      this.have += chunk.length;
      if (this.have < 4 || (this.need > 0 && this.have < this.need)) return;
      chunk = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.have);
      this.parts = [];
      this.have = 0;
      this.need = 0;
    }
    let pos = 0;
    const n = chunk.length;
    while (n - pos >= 4) {
      const len = chunk.readUInt32BE(pos);
      if (len > this.maxFrame) throw new Error(`frame of ${len} bytes exceeds the limit of ${this.maxFrame}`);
      if (n - pos - 4 < len) { this.need = len + 4; break; }
      this.onFrame(chunk.subarray(pos + 4, pos + 4 + len));
      pos += 4 + len;
    }
    if (pos < n) {
      this.parts.push(pos === 0 ? chunk : chunk.subarray(pos));
      this.have = n - pos;
    }
  }
}
