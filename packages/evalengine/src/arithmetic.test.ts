import { describe, expect, it } from "vitest";
import { Type, type Value } from "@vt/sqltypes";
import { arithmetic } from "./arithmetic.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const v = (type: number, s: string | null): Value => ({ type, raw: s === null ? null : enc.encode(s) });
const show = (x: Value) => [x.type, x.raw === null ? null : dec.decode(x.raw)];

describe("arithmetic with MySQL result types", () => {
  it("integers stay BIGINT, unsigned when either side is, and overflow is 1690", () => {
    expect(show(arithmetic("+", v(Type.INT64, "9007199254740993"), v(Type.INT32, "1")))).toEqual([Type.INT64, "9007199254740994"]);
    expect(show(arithmetic("*", v(Type.UINT64, "3"), v(Type.INT64, "4")))).toEqual([Type.UINT64, "12"]);
    expect(() => arithmetic("+", v(Type.INT64, "9223372036854775807"), v(Type.INT64, "1"))).toThrow(/out of range/);
    expect(show(arithmetic("div", v(Type.INT64, "-7"), v(Type.INT64, "2")))).toEqual([Type.INT64, "-3"]);
    expect(show(arithmetic("%", v(Type.INT64, "-7"), v(Type.INT64, "2")))).toEqual([Type.INT64, "-1"]);
  });

  it("decimals are exact: + keeps the larger scale, * adds scales, / adds 4 digits to the dividend's scale", () => {
    expect(show(arithmetic("+", v(Type.DECIMAL, "1.50"), v(Type.INT64, "2")))).toEqual([Type.DECIMAL, "3.50"]);
    expect(show(arithmetic("-", v(Type.DECIMAL, "0.1"), v(Type.DECIMAL, "0.25")))).toEqual([Type.DECIMAL, "-0.15"]);
    expect(show(arithmetic("*", v(Type.DECIMAL, "1.5"), v(Type.DECIMAL, "2.25")))).toEqual([Type.DECIMAL, "3.375"]);
    expect(show(arithmetic("/", v(Type.INT64, "7"), v(Type.INT64, "3")))).toEqual([Type.DECIMAL, "2.3333"]);
    expect(show(arithmetic("/", v(Type.DECIMAL, "15.75"), v(Type.INT64, "5")))).toEqual([Type.DECIMAL, "3.150000"]);
    expect(show(arithmetic("/", v(Type.DECIMAL, "2.00"), v(Type.INT64, "3")))).toEqual([Type.DECIMAL, "0.666667"]);
  });

  it("floats and strings compute as DOUBLE; NULL and division by zero give NULL", () => {
    expect(show(arithmetic("+", v(Type.FLOAT64, "0.1"), v(Type.FLOAT64, "0.2")))).toEqual([Type.FLOAT64, "0.30000000000000004"]);
    expect(show(arithmetic("*", v(Type.VARCHAR, "3abc"), v(Type.INT64, "2")))).toEqual([Type.FLOAT64, "6"]);
    expect(show(arithmetic("/", v(Type.INT64, "1"), v(Type.INT64, "0")))).toEqual([Type.NULL_TYPE, null]);
    expect(show(arithmetic("-", v(Type.INT64, null), v(Type.INT64, "1")))).toEqual([Type.NULL_TYPE, null]);
  });
});
