import { describe, expect, it } from "vitest";
import { format } from "./format.js";
import { parse } from "./parse.js";

describe("parse + format round trip", () => {
  it.each([
    ["select * from t where id = 1", "select * from t where id = 1"],
    ["DELETE oi FROM order_items oi JOIN orders o ON o.id = oi.id WHERE o.s = 1", "delete oi from order_items as oi join orders as o on o.id = oi.id where o.s = 1"],
    ["delete from t where id = 1", "delete from t where id = 1"],
    ["SELECT a, COUNT(*) AS c FROM ks.t AS x JOIN u ON x.id = u.id WHERE x.id = :v GROUP BY a HAVING c > 1 ORDER BY a DESC LIMIT 10, 5",
      "select a, count(*) as c from ks.t as x join u on x.id = u.id where x.id = :v group by a having c > 1 order by a desc limit 10, 5"],
    ["select * from `user` where `select` in (1, 2)", "select * from `user` where `select` in (1, 2)"],
    ["select a from t where a in ::vals", "select a from t where a in ::vals"],
    ["select (a + b) * 2, -a, not a and b or c from t", "select (a + b) * 2, -a, not a and b or c from t"],
    ["select * from t where a = 1 and b = 2 or c = 3 and d = 4", "select * from t where a = 1 and b = 2 or c = 3 and d = 4"],
    ["select * from t where a = 1 and (b = 2 or c = 3) xor d", "select * from t where a = 1 and (b = 2 or c = 3) xor d"],
    ["select count(distinct a), sum(b) from t", "select count(distinct a), sum(b) from t"],
    ["select a from t union all select b from u order by 1 limit 2", "select a from t union all select b from u order by 1 asc limit 2"],
    ["select * from t where a between 1 and 2 and b like 'x%' and c is not null", "select * from t where a between 1 and 2 and b like 'x%' and c is not null"],
    ["select * from t for update", "select * from t for update"],
    ["select 1", "select 1 from dual"],
    ["select @@version, @x", "select @@version, @x from dual"],
    ["insert into t(a, b) values (1, 'x'), (2, 'it''s')", "insert into t(a, b) values (1, 'x'), (2, 'it\\'s')"],
    ["insert ignore into t(a) values (1) on duplicate key update a = values(a)", "insert ignore into t(a) values (1) on duplicate key update a = values(a)"],
    ["insert into t(a) select a from u", "insert into t(a) select a from u"],
    ["update t set a = a + 1 where id = 1 limit 1", "update t set a = a + 1 where id = 1 limit 1"],
    ["delete from t where id in (1, 2)", "delete from t where id in (1, 2)"],
    ["select * from t where exists (select 1 from u where u.id = t.id)", "select * from t where exists (select 1 from u where u.id = t.id)"],
    ["select * from (select 1 as x from dual) as d left join u using (x)", "select * from (select 1 as x from dual) as d left join u using (x)"],
    ["select * from a left join (b join c on b.id = c.id) on a.id = b.id", "select * from a left join (b join c on b.id = c.id) on a.id = b.id"],
    ["select * from a join (b, c) on a.id = b.id", "select * from a join (b join c) on a.id = b.id"],
    ["select * from (a join b on a.id = b.id) join c on b.x = c.x", "select * from a join b on a.id = b.id join c on b.x = c.x"],
    ["select * from (a join b on a.id = b.id) left join (c join d on c.y = d.y) on b.x = c.x", "select * from a join b on a.id = b.id left join (c join d on c.y = d.y) on b.x = c.x"],
  ])("%s", (sql, want) => {
    expect(format(parse(sql))).toBe(want);
  });
});

describe("statement kinds", () => {
  it("select kinds", () => {
    const s = parse("select a from t where id = 1");
    expect(s.kind).toBe("Select");
    if (s.kind !== "Select") return;
    expect(s.where).toEqual({ kind: "Binary", op: "=", left: { kind: "Column", name: "id" }, right: { kind: "Literal", type: "int", value: "1" } });
  });
  it.each([
    ["show vitess_shards", { kind: "Show", show: "vitess_shards" }],
    ["SHOW VITESS_TABLETS", { kind: "Show", show: "vitess_tablets" }],
    ["show keyspaces", { kind: "Show", show: "keyspaces" }],
    ["show vitess_keyspaces", { kind: "Show", show: "keyspaces" }],
    ["show vschema tables", { kind: "Show", show: "vschema_tables" }],
    ["show vschema vindexes on ks.t", { kind: "Show", show: "vschema_vindexes", on: { qualifier: "ks", name: "t" } }],
    ["show vitess_target", { kind: "Show", show: "vitess_target" }],
    ["show tables", { kind: "Show", show: "other", text: "show tables" }],
    ["use `commerce:-80`", { kind: "Use", target: "commerce:-80" }],
    ["use commerce@replica", { kind: "Use", target: "commerce@replica" }],
    ["use `commerce:-80@rdonly`;", { kind: "Use", target: "commerce:-80@rdonly" }],
    ["use commerce", { kind: "Use", target: "commerce" }],
    ["begin", { kind: "Begin" }],
    ["start transaction", { kind: "Begin" }],
    ["commit", { kind: "Commit" }],
    ["rollback", { kind: "Rollback" }],
    ["rollback to savepoint s1", { kind: "Rollback", savepoint: "s1" }],
    ["savepoint s1", { kind: "Savepoint", name: "s1" }],
    ["release savepoint s1", { kind: "Savepoint", name: "s1", release: true }],
    ["select next 5 values from user_seq", { kind: "NextVal", count: { kind: "Literal", type: "int", value: "5" }, table: { name: "user_seq" } }],
    ["select next value from ks.seq", { kind: "NextVal", table: { qualifier: "ks", name: "seq" } }],
    ["create table if not exists t (id int)", { kind: "DDL", action: "create", tables: [{ name: "t" }] }],
    ["drop table a, ks.b", { kind: "DDL", action: "drop", tables: [{ name: "a" }, { qualifier: "ks", name: "b" }] }],
    ["alter table t add column x int", { kind: "DDL", action: "alter", tables: [{ name: "t" }] }],
    ["create index i on t(a)", { kind: "DDL", action: "create", tables: [{ name: "t" }] }],
    ["vexplain queries select 1", { kind: "VExplain", type: "queries" }],
    ["set autocommit = 1, @@session.sql_mode = 'x', @u = 2", {
      kind: "Set", exprs: [
        { variable: { kind: "Variable", scope: "session", name: "autocommit" }, expr: { kind: "Literal", type: "int", value: "1" } },
        { variable: { kind: "Variable", scope: "session", name: "sql_mode", explicit: true }, expr: { kind: "Literal", type: "string", value: "x" } },
        { variable: { kind: "Variable", scope: "user", name: "u" }, expr: { kind: "Literal", type: "int", value: "2" } },
      ],
    }],
    ["call p()", { kind: "Other", text: "call p()" }],
  ])("%s", (sql, want) => {
    expect(parse(sql)).toMatchObject(want);
  });
});

describe("errors", () => {
  it("syntax error is 1064/42000 with MySQL message", () => {
    try {
      parse("selec * from t");
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ errno: 1064, sqlState: "42000" });
      expect((e as Error).message).toMatch(/^You have an error in your SQL syntax; .*near 'selec \* from t' at line 1$/);
    }
    expect(() => parse("select * from t where")).toThrow(/You have an error in your SQL syntax/);
    expect(() => parse("select 'abc")).toThrow(/You have an error in your SQL syntax/);
  });
  it("empty query", () => {
    expect(() => parse("  ")).toThrow(/Query was empty/);
  });
});

describe("CTEs, DISTINCT aggregates, SQL_CALC_FOUND_ROWS, NOT EXISTS", () => {
  it("non-recursive CTEs are inlined as derived tables (later ones may use earlier ones); column lists rename", () => {
    expect(format(parse("WITH a AS (SELECT id FROM t), b AS (SELECT id FROM a WHERE id > 1) SELECT * FROM b JOIN a ON a.id = b.id")))
      .toBe("select * from (select id from (select id from t) as a where id > 1) as b join (select id from t) as a on a.id = b.id");
    expect(format(parse("WITH a AS (SELECT 1 AS x) SELECT (SELECT x FROM a) FROM dual"))).toBe("select (select x from (select 1 as x from dual) as a) as `(SELECT x FROM a)` from dual");
    expect(format(parse("WITH RECURSIVE r AS (SELECT 1 UNION ALL SELECT 2) SELECT * FROM r"))).toBe("select * from (select 1 from dual union all select 2 from dual) as r");
    expect(format(parse("WITH a (x, y) AS (SELECT id, name FROM t) SELECT y FROM a"))).toBe("select y from (select id as x, name as y from t) as a");
    expect(() => parse("WITH a (x) AS (SELECT id, name FROM t) SELECT x FROM a")).toThrow(/different column counts/);
  });
  it("a recursive CTE is a Union marked recursive whose last part references it; format gives WITH RECURSIVE back", () => {
    const s = parse("WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r");
    expect(s).toMatchObject({ from: [{ kind: "DerivedTable", as: "r", select: { kind: "Union", recursive: { name: "r" }, right: { from: [{ kind: "AliasedTable", recursiveRef: true }] } } }] });
    expect(format(s)).toBe("select * from (with recursive r as (select 1 as n from dual union all select n + 1 from r where n < 3) select * from r) as r");
    expect(() => parse("WITH RECURSIVE r AS (SELECT n FROM r UNION ALL SELECT 1) SELECT * FROM r")).toThrow(/VT12001/);
  });
  it("SUM/AVG/MIN/MAX(DISTINCT x) keep their DISTINCT", () => {
    expect(parse("select sum(distinct a), avg(DISTINCT b), count(distinct c, d) from t")).toMatchObject({
      columns: [
        { expr: { kind: "FuncCall", name: "sum", distinct: true } }, { expr: { kind: "FuncCall", name: "avg", distinct: true } },
        { expr: { kind: "FuncCall", name: "count", distinct: true } },
      ],
    });
  });
  it("SQL_CALC_FOUND_ROWS is kept; NOT EXISTS is an Exists", () => {
    const s = parse("select sql_calc_found_rows a from t where not exists (select 1 from u) limit 1");
    expect(s).toMatchObject({ calcFoundRows: true, where: { kind: "Exists", not: true } });
    expect(format(s)).toBe("select sql_calc_found_rows a from t where not exists (select 1 from u) limit 1");
  });
});
