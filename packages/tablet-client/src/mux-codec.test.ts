import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { MuxRequestSchema, MuxResponseSchema } from "@vt/proto/query";
import { bindVariablesToProto, resultToProto, Type, type Result } from "@vt/sqltypes";
import { decodeMuxResponse, encodeMuxRequest } from "./mux-codec.js";

const enc = new TextEncoder();

function result(rows: number, bigText = 0): Result {
  return {
    fields: [
      { name: "id", type: Type.INT64, table: "t", orgTable: "t", database: "ks", orgName: "id", columnLength: 20, charset: 63, decimals: 0, flags: 49667, columnType: "" },
      { name: "c", type: Type.VARCHAR, table: "t", orgTable: "t", database: "ks", orgName: "c", columnLength: 480, charset: 45, decimals: 0, flags: 0, columnType: "varchar(120)" },
    ],
    rows: Array.from({ length: rows }, (_, i) => [enc.encode(String(i)), i % 3 === 0 ? null : i % 3 === 1 ? new Uint8Array(0) : enc.encode("x".repeat(bigText || i))]),
    rowsAffected: 18446744073709551615n, insertId: 1n << 60n, info: "Rows matched: 1",
  };
}

describe("mux codec", () => {
  it("encodes Execute requests byte-for-byte like protobuf-es", () => {
    const bv = bindVariablesToProto({
      vtg1: { type: Type.INT64, value: enc.encode("42"), values: [] },
      vtg2: { type: Type.TUPLE, value: new Uint8Array(0), values: [{ type: Type.VARCHAR, value: enc.encode("é".repeat(100)) }, { type: Type.INT64, value: enc.encode("-1") }] },
    });
    for (const [id, txid, sql] of [[1n, 0n, "select 1"], [300n, 9007199254740993n, "select c from t where id = :vtg1 and x in ::vtg2" + " ".repeat(20000)], [(1n << 64n) - 1n, -5n, ""]] as const) {
      const m = create(MuxRequestSchema, {
        id, request: { case: "execute", value: { target: { keyspace: "ks", shard: "-80", tabletType: 1 }, query: { sql, bindVariables: bv }, transactionId: txid } },
      });
      expect(encodeMuxRequest(m).equals(Buffer.from(toBinary(MuxRequestSchema, m)))).toBe(true);
    }
    const other = create(MuxRequestSchema, { id: 3n, request: { case: "commit", value: { transactionId: 7n } } });
    expect(fromBinary(MuxRequestSchema, encodeMuxRequest(other))).toEqual(other);
  });

  it("decodes Execute/StreamExecute answers into the same messages as protobuf-es, and other frames via protobuf-es", () => {
    const frames = [
      create(MuxResponseSchema, { id: 5n, last: true, response: { case: "execute", value: { result: resultToProto(result(3)) } } }),
      create(MuxResponseSchema, { id: 1n << 62n, last: false, response: { case: "streamExecute", value: { result: resultToProto(result(50, 300)) } } }),
      create(MuxResponseSchema, { id: 6n, last: true, response: { case: "execute", value: {} } }),
      create(MuxResponseSchema, { id: 7n, last: true }),
      create(MuxResponseSchema, { id: 8n, last: true, response: { case: "error", value: { code: 2, message: "boom", errno: 1146, sqlstate: "42S02" } } }),
      create(MuxResponseSchema, { id: 9n, last: true, response: { case: "begin", value: { transactionId: 12n } } }),
    ];
    for (const f of frames) {
      const bytes = Buffer.from(toBinary(MuxResponseSchema, f));
      expect(decodeMuxResponse(bytes)).toEqual(fromBinary(MuxResponseSchema, bytes));
    }
  });
});
