import { describe, expect, it } from "vitest";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { QueryResultSchema, BindVariableSchema } from "@vt/proto/query";
import { makeField, type Result } from "./result.js";
import { Type } from "./type.js";
import {
  bindVariableFromProto, bindVariableToProto, boundQueryToProto, resultFromProto, resultToProto, valueFromProto, valueToProto,
} from "./proto-convert.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

describe("proto-convert", () => {
  it("round-trips a result through binary protobuf, keeping NULL vs empty string", () => {
    const r: Result = {
      fields: [makeField("id", Type.INT64, { table: "t", flags: 32 }), makeField("name", Type.VARCHAR, { columnType: "varchar(10)" })],
      rows: [
        [enc.encode("1"), enc.encode("alice")],
        [enc.encode("2"), null],
        [enc.encode("3"), new Uint8Array(0)],
      ],
      rowsAffected: 0n,
      insertId: 18446744073709551615n,
      info: "",
    };
    const pb = resultToProto(r);
    expect(pb.rows[1]?.lengths).toEqual([1, -1]);
    const back = resultFromProto(fromBinary(QueryResultSchema, toBinary(QueryResultSchema, pb)));
    expect(back.fields.map((f) => [f.name, f.type, f.table, f.flags, f.columnType])).toEqual([
      ["id", Type.INT64, "t", 32, ""],
      ["name", Type.VARCHAR, "", 0, "varchar(10)"],
    ]);
    expect(back.rows.map((row) => row.map((v) => (v === null ? null : dec.decode(v))))).toEqual([
      ["1", "alice"], ["2", null], ["3", ""],
    ]);
    expect(back.insertId).toBe(18446744073709551615n);
  });

  it("decodes rows as views into the values buffer", () => {
    const pb = resultToProto({ fields: [], rows: [[enc.encode("ab"), enc.encode("cde")]], rowsAffected: 1n, insertId: 0n, info: "x" });
    const back = resultFromProto(pb);
    const row = back.rows[0]!;
    expect(row[1]!.buffer).toBe(pb.rows[0]!.values.buffer);
    expect(row[1]!.byteOffset).toBe(2);
    expect(back.rowsAffected).toBe(1n);
    expect(back.info).toBe("x");
  });

  it("converts values and bind variables", () => {
    expect(valueFromProto(valueToProto({ type: Type.NULL_TYPE, raw: null }))).toEqual({ type: Type.NULL_TYPE, raw: null });
    const tuple = { type: Type.TUPLE, value: new Uint8Array(0), values: [{ type: Type.INT64, value: enc.encode("5") }] };
    const pb = bindVariableToProto(tuple);
    const back = bindVariableFromProto(fromBinary(BindVariableSchema, toBinary(BindVariableSchema, pb)));
    expect(back.type).toBe(Type.TUPLE);
    expect(dec.decode(back.values[0]!.value)).toBe("5");
    const bq = boundQueryToProto("select :a", { a: { type: Type.INT64, value: enc.encode("1"), values: [] } });
    expect(bq.bindVariables.a?.type).toBe(Type.INT64);
  });
});
