import { describe, expect, it } from "vitest";
import { format, normalize, parse } from "./index.js";
import { tokenize } from "./lexer.js";
import { implicitColumnName, selectListTexts } from "./select-list-texts.js";

describe("selectListTexts", () => {
  const texts = (sql: string): string[] => selectListTexts(sql, tokenize(sql));
  it("splits the outermost select list at top-level commas", () => {
    expect(texts("select distinct COUNT( * ), f(a, b) x, (select 1, 2) from t")).toEqual(["COUNT( * )", "f(a, b) x", "(select 1, 2)"]);
    expect(texts("with c as (select 9 from u) select a+1 from c")).toEqual(["a+1"]);
    expect(texts("(select A from t) union (select b from u)")).toEqual(["A"]);
  });
  it("names only items whose shard name would differ", () => {
    expect(implicitColumnName("t.a")).toBeUndefined();
    expect(implicitColumnName("'x'")).toBeUndefined();
    expect(implicitColumnName("1.50")).toBeUndefined();
    expect(implicitColumnName("COUNT(*)")).toBe("COUNT(*)");
  });
  it("parse keeps MariaDB's column names as aliases", () => {
    const n = normalize("SELECT COUNT(*), user_id, 1+1, @@version, GROUP_CONCAT(code ORDER BY code) FROM t WHERE a = 1");
    expect(format(parse(n.normalized))).toBe(
      "select count(*) as `COUNT(*)`, user_id, 1 + 1 as `1+1`, @@version, group_concat(code order by code asc) as `GROUP_CONCAT(code ORDER BY code)` from t where a = :vtg1");
  });
});
