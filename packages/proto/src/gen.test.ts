import { describe, expect, it } from "vitest";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { MuxRequestSchema, MuxResponseSchema, QueryResultSchema, RowSchema, Type } from "./gen/query_pb.js";
import { TabletType } from "./gen/topodata_pb.js";
import { Query } from "./gen/queryservice_pb.js";

describe("generated protos", () => {
  it("keeps Vitess enum numbers", () => {
    expect(Type.INT64).toBe(265);
    expect(Type.VARBINARY).toBe(10262);
    expect(TabletType.PRIMARY).toBe(1);
    expect(TabletType.DRAINED).toBe(8);
  });

  it("encodes Row lengths as zigzag varints (same bytes as Vitess sint64)", () => {
    const row = create(RowSchema, { lengths: [1, -1, 2], values: new Uint8Array([0x61, 0x62, 0x63]) });
    const bin = toBinary(RowSchema, row);
    // field 1 packed: tag 0x0a, len 3, zigzag(1)=2, zigzag(-1)=1, zigzag(2)=4
    expect(Array.from(bin.subarray(0, 5))).toEqual([0x0a, 3, 2, 1, 4]);
    const back = fromBinary(RowSchema, bin);
    expect(back.lengths).toEqual([1, -1, 2]);
    const qr = fromBinary(QueryResultSchema, toBinary(QueryResultSchema, create(QueryResultSchema, { rows: [row], rowsAffected: 3n })));
    expect(qr.rowsAffected).toBe(3n);
  });

  it("round-trips multiplexed requests", () => {
    const req = create(MuxRequestSchema, { id: 7n, request: { case: "commit", value: { transactionId: 42n } } });
    const back = fromBinary(MuxRequestSchema, toBinary(MuxRequestSchema, req));
    expect(back.request.case).toBe("commit");
    const res = create(MuxResponseSchema, { id: 7n, last: true, response: { case: "error", value: { message: "x", code: 3 } } });
    expect(fromBinary(MuxResponseSchema, toBinary(MuxResponseSchema, res)).response.case).toBe("error");
    expect(Query.method.multiplex.methodKind).toBe("bidi_streaming");
  });
});
