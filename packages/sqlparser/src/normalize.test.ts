import { describe, expect, it } from "vitest";
import { Type } from "@vt/sqltypes";
import { normalize } from "./normalize.js";
import { substituteBindVars } from "./substitute.js";

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe("normalize", () => {
  it.each([
    ["select * from t where id = 1", "select * from t where id = :vtg1", ["1"]],
    ["SELECT  *\n FROM t WHERE name = 'a''b' AND x IN (1, 2.5)", "SELECT * FROM t WHERE name = :vtg1 AND x IN (:vtg2, :vtg3)", ["a'b", "1", "2.5"].slice(0, 3)],
    ["select a from t where id = -5 and b = c - 1", "select a from t where id = :vtg1 and b = c - :vtg2", ["-5", "1"]],
    ["select a, count(*) from t group by 1 order by 2 desc limit 10", "select a, count(*) from t group by 1 order by 2 desc limit :vtg1", ["10"]],
    ["insert into t(a, b) values (1, x'4142')", "insert into t(a, b) values (:vtg1, :vtg2)", ["1", "AB"]],
    ["/*vt+ QUERY_TIMEOUT_MS=100 ALLOW_SCATTER */ select 1 from t where a = 2 /* hi */", "select 1 from t where a = :vtg1", ["2"]],
    ["select 1+1, (select 2 from u where b = 3) from t where a in (select 4 from v where c = 5) limit 6",
      "select 1+1, (select 2 from u where b = 3) from t where a in (select 4 from v where c = :vtg1) limit :vtg2", ["5", "6"]],
    ["select group_concat(a separator ',') from t", "select group_concat(a separator ',') from t", []],
    ["select _utf8mb4'x', date '2020-01-01' from t where a = :vtg1", "select _utf8mb4'x', date '2020-01-01' from t where a = :vtg1", []],
    ["set autocommit = 1", "set autocommit = 1", []],
    ["create table t (a int(11) default 5)", "create table t (a int(11) default 5)", []],
  ])("%s", (sql, want, values) => {
    const n = normalize(sql);
    expect(n.normalized).toBe(want);
    expect(Object.values(n.bindVars).map((b) => text(b.value))).toEqual(values);
  });
  it("types and directives", () => {
    const n = normalize("/*vt+ QUERY_TIMEOUT_MS=100 ALLOW_SCATTER */ select 1 from t where a in (18446744073709551615, 9223372036854775807, 1.5, 1e3, 'x')");
    expect(Object.values(n.bindVars).map((b) => b.type)).toEqual([Type.UINT64, Type.INT64, Type.DECIMAL, Type.FLOAT64, Type.VARCHAR]);
    expect(n.directives).toEqual({ QUERY_TIMEOUT_MS: "100", ALLOW_SCATTER: "true" });
    expect(n.firstKeyword).toBe("select");
  });
  it("does not collide with existing vtg names", () => {
    expect(normalize("select a from t where :vtg1 + 2").normalized).toBe("select a from t where :vtg1 + :vtg2");
  });
  it("same shape, same key", () => {
    expect(normalize("select * from t where id = 1").normalized).toBe(normalize("select  * from t where id=99").normalized.replace("id=", "id = "));
  });
  it("substituteBindVars inverts it", () => {
    const n = normalize("select * from t where name = 'it''s \\\\ ok' and id in (1, -2)");
    expect(substituteBindVars(n.normalized, n.bindVars)).toBe("select * from t where name = 'it\\'s \\\\ ok' and id in (1, -2)");
    expect(substituteBindVars("select * from t where id in ::ids", {
      ids: { type: Type.TUPLE, value: new Uint8Array(), values: [{ type: Type.INT64, value: new TextEncoder().encode("1") }, { type: Type.VARCHAR, value: new TextEncoder().encode("a") }] },
    })).toBe("select * from t where id in (1, 'a')");
    expect(() => substituteBindVars("select :x", {})).toThrow(/missing bind var x/);
  });
  it("unterminated string is a syntax error", () => {
    expect(() => normalize("select 'abc")).toThrow(expect.objectContaining({ errno: 1064 }));
  });
});
