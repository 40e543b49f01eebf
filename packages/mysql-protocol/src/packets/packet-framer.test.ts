import { describe, expect, it } from "vitest";
import { PacketFramer, type InboundPacket } from "./packet-framer.js";
import { MAX_PACKET_PAYLOAD, PacketWriter } from "./packet-writer.js";

function wire(...payloads: Buffer[]): Buffer {
  const w = new PacketWriter();
  for (const p of payloads) w.begin().bytes(p).end();
  return w.take();
}

describe("PacketFramer", () => {
  it("returns packets fed byte by byte", () => {
    const f = new PacketFramer(1024);
    const out: InboundPacket[] = [];
    const bytes = wire(Buffer.from("hello"), Buffer.alloc(0), Buffer.from("x"));
    for (const b of bytes) f.push(Buffer.from([b]), out);
    expect(out.map((p) => [p.seq, p.payload.toString()])).toEqual([[0, "hello"], [1, ""], [2, "x"]]);
    expect(f.idle).toBe(true);
  });

  it("returns views for packets inside one chunk", () => {
    const f = new PacketFramer(1024);
    const out: InboundPacket[] = [];
    const chunk = wire(Buffer.from("abc"), Buffer.from("de"));
    f.push(chunk, out);
    expect(out[0]?.payload.buffer).toBe(chunk.buffer);
    expect(out[1]?.payload.toString()).toBe("de");
  });

  it("reassembles payloads of 16 MiB and more", () => {
    const f = new PacketFramer(64 * 1024 * 1024);
    const out: InboundPacket[] = [];
    const payload = Buffer.alloc(MAX_PACKET_PAYLOAD + 3, 1);
    const bytes = wire(payload);
    for (let i = 0; i < bytes.length; i += 65536) f.push(bytes.subarray(i, i + 65536), out);
    expect(out).toHaveLength(1);
    expect(out[0]?.payload.length).toBe(MAX_PACKET_PAYLOAD + 3);
    expect(out[0]?.lastSeq).toBe(1);
  });

  it("rejects oversized packets with 1153", () => {
    const f = new PacketFramer(10);
    expect(() => f.push(Buffer.from("ffffff00", "hex"), [])).toThrow(expect.objectContaining({ errno: 1153 }));
  });

  it("rejects out-of-order continuation packets with 1156", () => {
    const f = new PacketFramer(64 * 1024 * 1024);
    const first = Buffer.concat([Buffer.from("ffffff00", "hex"), Buffer.alloc(MAX_PACKET_PAYLOAD)]);
    f.push(first, []);
    expect(() => f.push(Buffer.from("01000005aa", "hex"), [])).toThrow(expect.objectContaining({ errno: 1156 }));
  });
});
