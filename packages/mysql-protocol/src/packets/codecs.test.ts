import { describe, expect, it } from "vitest";
import { makeField, MysqlType, Type } from "@vt/sqltypes";
import { Capability } from "../constants/capabilities.js";
import { encodeBinaryRow } from "./binary-row.js";
import { decodeColumnDefinition, encodeColumnDefinition } from "./column-definition.js";
import { decodeComStmtExecute, encodeComStmtExecute } from "./com-stmt-execute.js";
import { decodeEof, encodeEof } from "./eof.js";
import { decodeErr, encodeErr } from "./err.js";
import { decodeHandshakeResponse41, encodeHandshakeResponse41 } from "./handshake-response41.js";
import { decodeHandshakeV10, encodeHandshakeV10 } from "./handshake-v10.js";
import { decodeOk, encodeOk } from "./ok.js";
import { PacketWriter } from "./packet-writer.js";
import { decodeTextRow, encodeTextRow } from "./text-row.js";

const hex = (fn: (w: PacketWriter) => void): string => {
  const w = new PacketWriter(16);
  fn(w);
  return w.take().toString("hex");
};
const payloadOf = (fn: (w: PacketWriter) => void): Buffer => {
  const w = new PacketWriter(16);
  fn(w);
  return w.take().subarray(4);
};

describe("golden bytes", () => {
  it("OK", () => {
    expect(hex((w) => encodeOk(w, { affectedRows: 3, lastInsertId: 77, statusFlags: 2, warnings: 1, info: "" })))
      .toBe("0700000000034d02000100");
    expect(hex((w) => encodeOk(w, { affectedRows: 0, lastInsertId: 0, statusFlags: 0x0a, warnings: 0, info: "" }, true)))
      .toBe("07000000fe00000a000000");
    expect(decodeOk(payloadOf((w) => encodeOk(w, { affectedRows: 1n, lastInsertId: 300, statusFlags: 3, warnings: 0, info: "hi" }))))
      .toEqual({ affectedRows: 1, lastInsertId: 300, statusFlags: 3, warnings: 0, info: "hi" });
  });

  it("ERR keeps errno and SQLSTATE", () => {
    expect(hex((w) => encodeErr(w, { errno: 1146, sqlState: "42S02", message: "x" })))
      .toBe("0a000000ff7a04233432533032" + "78");
    expect(decodeErr(payloadOf((w) => encodeErr(w, { errno: 1045, sqlState: "28000", message: "denied" }))))
      .toEqual({ errno: 1045, sqlState: "28000", message: "denied" });
    expect(decodeErr(payloadOf((w) => encodeErr(w, { errno: 1105, sqlState: "bad", message: "m" }))).sqlState).toBe("HY000");
  });

  it("EOF", () => {
    expect(hex((w) => encodeEof(w, 1, 2))).toBe("05000000fe01000200");
    expect(decodeEof(payloadOf((w) => encodeEof(w, 4, 0x22)))).toEqual({ warnings: 4, statusFlags: 0x22 });
  });

  it("column definition ORs type flags and fills default charsets", () => {
    const f = makeField("id", Type.UINT64, { flags: 1, columnLength: 20 });
    expect(hex((w) => encodeColumnDefinition(w, f)))
      .toBe("18000000" + "03646566" + "000000" + "026964" + "00" + "0c" + "3f00" + "14000000" + "08" + "2100" + "00" + "0000");
    const back = decodeColumnDefinition(payloadOf((w) => encodeColumnDefinition(w, makeField("name", Type.VARCHAR, { table: "t" }))));
    expect(back).toMatchObject({ name: "name", table: "t", type: Type.VARCHAR, charset: 45 });
    const bin = decodeColumnDefinition(payloadOf((w) => encodeColumnDefinition(w, makeField("b", Type.VARBINARY))));
    expect(bin).toMatchObject({ type: Type.VARBINARY, charset: 63 });
  });

  it("text row", () => {
    const row = [Buffer.from("1"), null, Buffer.from("")];
    expect(hex((w) => encodeTextRow(w, row))).toBe("04000000" + "0131" + "fb" + "00");
    expect(decodeTextRow(payloadOf((w) => encodeTextRow(w, row)), 3).map((v) => v?.toString() ?? null)).toEqual(["1", null, ""]);
  });

  it("binary row from text bytes", () => {
    const fields = [makeField("a", Type.INT64), makeField("b", Type.VARCHAR), makeField("c", Type.INT32),
      makeField("d", Type.DATETIME), makeField("e", Type.TIME), makeField("f", Type.FLOAT64), makeField("g", Type.UINT8)];
    const row = ["-2", null, "7", "2024-01-02 03:04:05.000001", "-25:00:01", "1.5", "255"].map((s) => (s === null ? null : Buffer.from(s)));
    const p = payloadOf((w) => encodeBinaryRow(w, row, fields));
    expect(p.toString("hex")).toBe(
      "00" + "0800" + // header, 2-byte null bitmap: column 1 -> bit 3
      "feffffffffffffff" + "07000000" +
      "0b" + "e807" + "01" + "02" + "03" + "04" + "05" + "01000000" +
      "08" + "01" + "01000000" + "01" + "00" + "01" +
      "000000000000f83f" + "ff",
    );
  });

  it("HandshakeV10 round trip", () => {
    const data = Buffer.from("0123456789abcdefghij");
    const h = { serverVersion: "8.0.30-Vitess", connectionId: 7, authPluginData: data, capabilities: 0x81ffffff >>> 0,
      charset: 45, statusFlags: 2, authPluginName: "mysql_native_password" };
    const p = payloadOf((w) => encodeHandshakeV10(w, h));
    expect(p.subarray(0, 1).toString("hex")).toBe("0a");
    expect(decodeHandshakeV10(p)).toEqual({ ...h, authPluginData: data });
  });

  it("HandshakeResponse41 round trip with attributes", () => {
    const caps = Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION | Capability.PLUGIN_AUTH |
      Capability.CONNECT_WITH_DB | Capability.CONNECT_ATTRS | Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA;
    const r = { capabilities: caps, maxPacketSize: 1 << 24, charset: 45, user: "bob", authResponse: Buffer.from([1, 2, 3]),
      database: "db", authPluginName: "mysql_native_password", attributes: new Map([["_client_name", "t"]]) };
    expect(decodeHandshakeResponse41(payloadOf((w) => encodeHandshakeResponse41(w, r)))).toEqual(r);
  });

  it("HandshakeResponse41 truncated or pre-4.1 is malformed", () => {
    expect(() => decodeHandshakeResponse41(Buffer.from("00020000", "hex"))).toThrow(expect.objectContaining({ errno: 1835 }));
    expect(() => decodeHandshakeResponse41(Buffer.alloc(40))).toThrow(expect.objectContaining({ errno: 1835 }));
  });
});

describe("COM_STMT_EXECUTE parameters", () => {
  const i8 = (v: number) => Buffer.from([v & 0xff]);
  const lenenc = (s: string) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)]);
  const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
  const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeInt32LE(v); return b; };
  const i64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigInt64LE(v); return b; };
  const f32 = (v: number) => { const b = Buffer.alloc(4); b.writeFloatLE(v); return b; };
  const f64 = (v: number) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); return b; };
  const cases: [string, { mysqlType: number; unsigned?: boolean; value: Buffer | null }, number, string | null][] = [
    ["tiny signed", { mysqlType: MysqlType.TINY, value: i8(-1) }, Type.INT8, "-1"],
    ["tiny unsigned", { mysqlType: MysqlType.TINY, unsigned: true, value: i8(255) }, Type.UINT8, "255"],
    ["short", { mysqlType: MysqlType.SHORT, value: u16(0xfffe) }, Type.INT16, "-2"],
    ["year", { mysqlType: MysqlType.YEAR, value: u16(2024) }, Type.YEAR, "2024"],
    ["long", { mysqlType: MysqlType.LONG, value: u32(-5) }, Type.INT32, "-5"],
    ["long unsigned", { mysqlType: MysqlType.LONG, unsigned: true, value: u32(-1) }, Type.UINT32, "4294967295"],
    ["longlong", { mysqlType: MysqlType.LONGLONG, value: i64(-9007199254740993n) }, Type.INT64, "-9007199254740993"],
    ["longlong unsigned", { mysqlType: MysqlType.LONGLONG, unsigned: true, value: i64(-1n) }, Type.UINT64, "18446744073709551615"],
    ["float", { mysqlType: MysqlType.FLOAT, value: f32(1.1) }, Type.FLOAT32, "1.1"],
    ["double", { mysqlType: MysqlType.DOUBLE, value: f64(0.1) }, Type.FLOAT64, "0.1"],
    ["decimal", { mysqlType: MysqlType.NEWDECIMAL, value: lenenc("12.34") }, Type.DECIMAL, "12.34"],
    ["varchar", { mysqlType: MysqlType.VAR_STRING, value: lenenc("héllo") }, Type.VARCHAR, "héllo"],
    ["blob", { mysqlType: MysqlType.BLOB, value: lenenc("\x01") }, Type.VARBINARY, "\x01"],
    ["json", { mysqlType: MysqlType.JSON, value: lenenc("{}") }, Type.JSON, "{}"],
    ["date", { mysqlType: MysqlType.DATE, value: Buffer.from("04e8070102", "hex") }, Type.DATE, "2024-01-02"],
    ["datetime", { mysqlType: MysqlType.DATETIME, value: Buffer.from("07e8070102030405", "hex") }, Type.DATETIME, "2024-01-02 03:04:05"],
    ["datetime micro", { mysqlType: MysqlType.TIMESTAMP, value: Buffer.from("0be807010203040540e20100", "hex") }, Type.TIMESTAMP, "2024-01-02 03:04:05.123456"],
    ["zero datetime", { mysqlType: MysqlType.DATETIME, value: Buffer.from("00", "hex") }, Type.DATETIME, "0000-00-00 00:00:00"],
    ["time", { mysqlType: MysqlType.TIME, value: Buffer.from("080101000000010203", "hex") }, Type.TIME, "-25:02:03"],
    ["null", { mysqlType: MysqlType.VAR_STRING, value: null }, 0, null],
  ];
  it.each(cases)("%s", (_name, param, type, text) => {
    const payload = payloadOf((w) => encodeComStmtExecute(w, 9, [param]));
    const d = decodeComStmtExecute(payload, 1, []);
    expect(d.statementId).toBe(9);
    expect(d.params[0]?.type).toBe(type);
    expect(d.params[0]?.raw === null ? null : Buffer.from(d.params[0]!.raw!).toString()).toBe(text);
  });

  it("reuses previous types when new-params-bound is 0, and uses long data", () => {
    const payload = Buffer.from("17" + "01000000" + "00" + "01000000" + "00" + "00" + "05000000", "hex");
    const d = decodeComStmtExecute(payload, 2, [MysqlType.BLOB, MysqlType.LONG], new Map([[0, Buffer.from("long")]]));
    expect(d.params.map((p) => Buffer.from(p.raw!).toString())).toEqual(["long", "5"]);
  });

  it("fails on truncated values and unbound types", () => {
    const payload = payloadOf((w) => encodeComStmtExecute(w, 1, [{ mysqlType: MysqlType.LONGLONG, value: Buffer.alloc(3) }]));
    expect(() => decodeComStmtExecute(payload, 1, [])).toThrow(expect.objectContaining({ errno: 1835 }));
    const unbound = Buffer.from("17010000000001000000" + "00" + "00", "hex");
    expect(() => decodeComStmtExecute(unbound, 1, [])).toThrow(expect.objectContaining({ errno: 1835 }));
  });
});
