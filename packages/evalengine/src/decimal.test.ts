import { describe, expect, it } from "vitest";
import { Type, valueFromString } from "@vt/sqltypes";
import { compareValues } from "./compare.js";
import { addDecimal, decimalToString, divideDecimal, parseDecimal } from "./decimal.js";

const d = (s: string) => parseDecimal(s)!;

describe("decimal", () => {
  it.each([
    ["1", "2", "3"], ["0.1", "0.2", "0.3"], ["-1.50", "1", "-0.50"],
    ["9223372036854775807", "9223372036854775807", "18446744073709551614"],
    ["99999999999999999999.99", "0.01", "100000000000000000000.00"],
  ])("%s + %s = %s", (a, b, want) => expect(decimalToString(addDecimal(d(a), d(b)))).toBe(want));
  it("divides half-up", () => {
    expect(decimalToString(divideDecimal(d("10"), d("3"), 4))).toBe("3.3333");
    expect(decimalToString(divideDecimal(d("2"), d("3"), 4))).toBe("0.6667");
    expect(decimalToString(divideDecimal(d("-1"), d("8"), 2))).toBe("-0.13");
  });
  it("compares values", () => {
    const i = (s: string) => valueFromString(Type.INT64, s);
    expect(compareValues(i("10"), i("9"))).toBeGreaterThan(0);
    expect(compareValues(i("9007199254740993"), i("9007199254740992"))).toBeGreaterThan(0);
    expect(compareValues(valueFromString(Type.VARCHAR, "10"), valueFromString(Type.VARCHAR, "9"))).toBeLessThan(0);
    expect(compareValues({ type: Type.NULL_TYPE, raw: null }, i("1"))).toBeLessThan(0);
  });
});
