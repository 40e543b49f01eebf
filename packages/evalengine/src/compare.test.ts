import { describe, expect, it } from "vitest";
import { Type } from "@vt/sqltypes";
import { compareValues } from "./compare.js";
import { generalCiWeight } from "./collation.js";

const enc = new TextEncoder();
const v = (type: number, s: string | null, collation?: number) =>
  ({ type, raw: s === null ? null : enc.encode(s), ...(collation !== undefined ? { collation } : {}) });

describe("compareValues", () => {
  it("utf8mb4_general_ci: case, accents, ß, trailing spaces", () => {
    expect(compareValues(v(Type.VARCHAR, "José", 45), v(Type.VARCHAR, "JOSE", 45))).toBe(0);
    expect(compareValues(v(Type.VARCHAR, "straße", 45), v(Type.VARCHAR, "STRASE", 45))).toBe(0);
    expect(compareValues(v(Type.VARCHAR, "a ", 45), v(Type.VARCHAR, "A", 45))).toBe(0);
    expect(compareValues(v(Type.VARCHAR, "b", 45), v(Type.VARCHAR, "A", 45))).toBeGreaterThan(0);
    expect(compareValues(v(Type.VARCHAR, "b"), v(Type.VARCHAR, "A"))).toBeGreaterThan(0);
    expect(compareValues(v(Type.VARBINARY, "a", 63), v(Type.VARBINARY, "A", 63))).toBeGreaterThan(0);
    expect(generalCiWeight("Ñandú")).toBe("NANDU");
  });
  it("TIME by signed duration, NULL first, numbers exactly", () => {
    expect(compareValues(v(Type.TIME, "-838:59:59"), v(Type.TIME, "-01:49:33"))).toBeLessThan(0);
    expect(compareValues(v(Type.TIME, "100:00:00"), v(Type.TIME, "99:59:59.5"))).toBeGreaterThan(0);
    expect(compareValues(v(Type.TIME, null), v(Type.TIME, "-01:00:00"))).toBeLessThan(0);
    expect(compareValues(v(Type.UINT64, "18446744073709551615"), v(Type.UINT64, "18446744073709551614"))).toBeGreaterThan(0);
    expect(compareValues(v(Type.DECIMAL, "-10.50"), v(Type.DECIMAL, "-9.99"))).toBeLessThan(0);
  });
});
