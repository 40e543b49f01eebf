import { SqlError } from "@vt/errors";
import { ProtoER } from "../constants/errors.js";
import { MAX_PACKET_PAYLOAD } from "./packet-writer.js";

/** One logical packet received from a peer (split parts already joined). */
export interface InboundPacket {
  /** Sequence id of the first wire packet. */
  seq: number;
  /** Sequence id of the last wire packet (differs from seq only for payloads of 16 MiB or more). */
  lastSeq: number;
  payload: Buffer;
}

/**
 * Cuts a byte stream into packets. Headers are parsed in place; a packet that lies entirely inside one chunk
 * is returned as a view of it (no copy). A packet spanning chunks is copied once into a buffer of its exact
 * size. Payloads of 16 MiB - 1 are joined with their continuation packets.
 *
 * Throws SqlError 1153 when a payload exceeds `maxPacketSize`, and 1156 when continuation packets are out of
 * order; the stream is unusable after a throw.
 */
export class PacketFramer {
  private readonly hdr = Buffer.alloc(4);
  private hdrFill = 0;
  private body: Buffer | null = null;
  private bodyFill = 0;
  private bodySeq = 0;
  private parts: Buffer[] = [];
  private partsLen = 0;
  private partsSeq = 0;

  constructor(private readonly maxPacketSize: number) {}

  /** True when no partial packet is buffered. */
  get idle(): boolean {
    return this.hdrFill === 0 && this.body === null && this.parts.length === 0;
  }

  /** Feeds a chunk; complete packets are appended to `out`. */
  push(chunk: Buffer, out: InboundPacket[]): void {
    let off = 0;
    const n = chunk.length;
    while (off < n) {
      if (this.body !== null) {
        const take = Math.min(this.body.length - this.bodyFill, n - off);
        chunk.copy(this.body, this.bodyFill, off, off + take);
        this.bodyFill += take;
        off += take;
        if (this.bodyFill === this.body.length) {
          const b = this.body;
          this.body = null;
          this.complete(b, this.bodySeq, out);
        }
        continue;
      }
      let len: number;
      let seq: number;
      if (this.hdrFill === 0 && n - off >= 4) {
        len = chunk.readUIntLE(off, 3);
        seq = chunk[off + 3] as number;
        off += 4;
      } else {
        const take = Math.min(4 - this.hdrFill, n - off);
        chunk.copy(this.hdr, this.hdrFill, off, off + take);
        this.hdrFill += take;
        off += take;
        if (this.hdrFill < 4) return;
        this.hdrFill = 0;
        len = this.hdr.readUIntLE(0, 3);
        seq = this.hdr[3] as number;
      }
      this.checkSize(len);
      if (n - off >= len) {
        this.complete(chunk.subarray(off, off + len), seq, out);
        off += len;
      } else {
        this.body = Buffer.allocUnsafe(len);
        this.bodyFill = 0;
        this.bodySeq = seq;
      }
    }
  }

  private checkSize(len: number): void {
    if (this.partsLen + len > this.maxPacketSize) {
      throw new SqlError(ProtoER.NET_PACKET_TOO_LARGE, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes", "RESOURCE_EXHAUSTED");
    }
  }

  private complete(payload: Buffer, seq: number, out: InboundPacket[]): void {
    if (this.parts.length > 0 && seq !== ((this.partsSeq + this.parts.length) & 0xff)) {
      throw new SqlError(ProtoER.NET_PACKETS_OUT_OF_ORDER, "08S01", "Got packets out of order", "INVALID_ARGUMENT");
    }
    if (payload.length === MAX_PACKET_PAYLOAD) {
      if (this.parts.length === 0) this.partsSeq = seq;
      this.parts.push(payload);
      this.partsLen += payload.length;
      return;
    }
    if (this.parts.length === 0) {
      out.push({ seq, lastSeq: seq, payload });
      return;
    }
    this.parts.push(payload);
    const joined = Buffer.concat(this.parts, this.partsLen + payload.length);
    out.push({ seq: this.partsSeq, lastSeq: seq, payload: joined });
    this.parts = [];
    this.partsLen = 0;
  }
}
