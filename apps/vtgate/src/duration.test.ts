import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";
import { countParams, substituteParams } from "./substitute-params.js";
import { int64Value, nullValue, varcharValue } from "@vt/sqltypes";

describe("parseDuration", () => {
  it("reads Go durations and bare milliseconds", () => {
    expect(parseDuration("")).toBe(0);
    expect(parseDuration("1500")).toBe(1500);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(() => parseDuration("soon")).toThrow(/invalid duration/);
  });
});

describe("substituteParams", () => {
  it("replaces ? outside strings and comments with SQL literals", () => {
    const sql = "select '?', ? /* ? */ from t where a = ? and b = ?";
    expect(countParams(sql)).toBe(3);
    expect(substituteParams(sql, [int64Value(5), varcharValue("it's"), nullValue()]))
      .toBe("select '?', 5 /* ? */ from t where a = 'it\\'s' and b = null");
  });
});
