import { makeField, Type, type Field } from "@vt/sqltypes";
import { describe, expect, it } from "vitest";
import { PacketWriter } from "../packets/packet-writer.js";
import { CommandResultSink, type SinkOwner } from "./result-sink.js";

function owner(): SinkOwner {
  return { writer: new PacketWriter(), deprecateEof: true, isClosed: false, statusFlags: () => 2, flushAndWait: () => Promise.resolve() };
}

function response(fields: readonly Field[]): Buffer {
  const o = owner();
  const s = new CommandResultSink(o);
  for (let i = 0; i < 3; i++) {
    s.reset(false);
    o.writer.seq = 1;
    s.fields(fields);
    void s.rows([[new TextEncoder().encode("x"), null]]);
    s.done();
  }
  return o.writer.take();
}

describe("CommandResultSink", () => {
  it("writes frozen (cached) column definitions byte-for-byte as freshly encoded ones", () => {
    const mk = (): Field[] => [
      makeField("id", Type.INT64, { table: "t", orgTable: "t", database: "ks", orgName: "id", columnLength: 20, charset: 63 }),
      makeField("é".repeat(70), Type.VARCHAR, { table: "t", orgTable: "t", database: "ks", orgName: "c", columnLength: 480, charset: 45 }),
    ];
    const plain = response(mk());
    const frozen = response(mk().map((f) => Object.freeze(f)));
    expect(frozen.equals(plain)).toBe(true);
    expect(plain.length).toBeGreaterThan(200);
  });
});
