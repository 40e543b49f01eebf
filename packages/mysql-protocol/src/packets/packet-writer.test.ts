import { describe, expect, it } from "vitest";
import { MAX_PACKET_PAYLOAD, PacketWriter } from "./packet-writer.js";

describe("PacketWriter", () => {
  it("frames packets with length and sequence ids", () => {
    const w = new PacketWriter(8);
    w.seq = 3;
    w.begin().u8(1).u16(0x0203).end();
    w.begin().end();
    expect(w.take().toString("hex")).toBe("03000003" + "010302" + "00000004");
    expect(w.seq).toBe(5);
  });

  it.each([
    [0, "00"], [250, "fa"], [251, "fcfb00"], [0xffff, "fcffff"], [0x10000, "fd000001"],
    [0xffffff, "fdffffff"], [0x1000000, "fe0000000100000000"], [2n ** 64n - 1n, "feffffffffffffffff"],
  ])("lenencInt(%s)", (v, hex) => {
    const w = new PacketWriter(4);
    w.lenencInt(v);
    expect(w.take().toString("hex")).toBe(hex);
  });

  it("splits a payload of exactly 2^24-1 bytes into a full packet and an empty one", () => {
    const w = new PacketWriter();
    w.begin().zeros(MAX_PACKET_PAYLOAD).end();
    const out = w.take();
    expect(out.length).toBe(MAX_PACKET_PAYLOAD + 8);
    expect(out.subarray(0, 4).toString("hex")).toBe("ffffff00");
    expect(out.subarray(out.length - 4).toString("hex")).toBe("00000001");
    expect(w.seq).toBe(2);
  });

  it("splits larger payloads keeping the bytes in order", () => {
    const w = new PacketWriter();
    const payload = Buffer.alloc(MAX_PACKET_PAYLOAD + 10);
    payload[0] = 7;
    payload[MAX_PACKET_PAYLOAD] = 8;
    payload[payload.length - 1] = 9;
    w.begin().bytes(payload).end();
    const out = w.take();
    expect(out[4]).toBe(7);
    const second = 4 + MAX_PACKET_PAYLOAD;
    expect(out.subarray(second, second + 4).toString("hex")).toBe("0a000001");
    expect(out[second + 4]).toBe(8);
    expect(out[out.length - 1]).toBe(9);
  });
});

describe("textRow", () => {
  /** The row written cell by cell with the generic writers (what encodeTextRow did). */
  const generic = (w: PacketWriter, row: (Uint8Array | null)[]): void => {
    w.begin();
    for (const v of row) {
      if (v === null) w.u8(0xfb);
      else w.lenencBytes(v);
    }
    w.end();
  };
  const bytes = (n: number, fill = 0x61): Uint8Array => new Uint8Array(n).fill(fill);

  it("writes the same bytes as the per-cell writers: NULLs, empty, every length-prefix size, sequence wrap", () => {
    const rows: (Uint8Array | null)[][] = [
      [], [null], [bytes(0)], [bytes(1), null, bytes(15)], [bytes(16)], [bytes(250), bytes(251)],
      [bytes(0xffff), null, bytes(0x10000)], [Buffer.from("héllo"), Buffer.from("x").subarray(0, 1)],
      ...Array.from({ length: 300 }, (_, i) => [bytes(i % 40, i & 0xff), null]),
    ];
    const a = new PacketWriter(16);
    const b = new PacketWriter(16);
    for (const row of rows) {
      a.textRow(row);
      generic(b, row);
    }
    expect(a.seq).toBe(b.seq);
    expect(a.take().equals(b.take())).toBe(true);
  });

  it("splits a row of 16 MiB or more like the generic writers", () => {
    const row = [bytes(0xfffff0), bytes(100)];
    const a = new PacketWriter();
    const b = new PacketWriter();
    a.textRow(row);
    generic(b, row);
    expect(a.take().equals(b.take())).toBe(true);
  });
});

describe("textRows and reuse across take()/release()", () => {
  const row = (n: number, fill: number): Uint8Array[] => [new Uint8Array(n).fill(fill), new Uint8Array(3).fill(fill + 1)];

  it("writes what textRow writes row by row", () => {
    const rows = Array.from({ length: 120 }, (_, i) => row(i * 3, i & 0x7f));
    const a = new PacketWriter(16);
    const b = new PacketWriter(16);
    a.textRows(rows);
    for (const r of rows) b.textRow(r);
    expect(a.seq).toBe(b.seq);
    expect(a.take().equals(b.take())).toBe(true);
  });

  it("never overwrites an output already handed out, large or small, before or after release()", () => {
    const w = new PacketWriter(64);
    const outs: { got: Buffer; want: Buffer }[] = [];
    const sizes = [20_000, 100, 70_000, 5_000, 30, 300_000, 3_000];
    for (let k = 0; k < sizes.length; k++) {
      const rows = Array.from({ length: 10 }, (_, i) => row(Math.floor(sizes[k]! / 10), (k * 10 + i) & 0x7f));
      const ref = new PacketWriter(16);
      ref.seq = w.seq;
      for (const r of rows) ref.textRow(r);
      w.textRows(rows);
      outs.push({ got: w.take(), want: ref.take() });
      if (k % 2 === 1) w.release();
    }
    for (const { got, want } of outs) expect(got.equals(want)).toBe(true);
  });
});
