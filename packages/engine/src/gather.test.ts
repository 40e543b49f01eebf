// Engine tests for the vtgate-side "gather" primitives: EvalProjection, raw aggregation (over rows, not shard
// partials), the nested-loop Join's fields when the left side is empty, correlated scalar subqueries as a Join over
// UncorrelatedSubquery, SET STATEMENT settings and VEXPLAIN's query recording — all against the logging fake.
import { describe, expect, it } from "vitest";
import type { PlanNode, Route } from "@vt/plan";
import { bindVar, makeField, Type, varcharValue, type Result } from "@vt/sqltypes";
import { execute } from "./execute.js";
import { statementSettingsPrefix, withStatementSettings } from "./statement-settings.js";
import type { KeyspaceSchema } from "@vt/vindexes";
import { LoggingVCursor, type FakeShardResults } from "./testing/logging-vcursor.js";
import { COMMERCE as commerce, hashVSchema as vschema, rowsOf, textRows as text } from "./testing/engine-fixtures.js";
import { recordingShards, vexplainQueriesResult, type ExplainedQuery } from "./vexplain.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

const result = (fields: [string, number][], rows: (string | null)[][]): Result => ({
  fields: fields.map(([n, t]) => makeField(n, t)),
  ...rowsOf(rows),
});
const vc = (results?: FakeShardResults) => new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, results);
const scatter = (query: string, extra: Partial<Route> = {}): Route => ({
  kind: "Route", opcode: "Scatter", keyspace: commerce, tableName: "orders", query, fieldQuery: query, ...extra,
});
const col = (offset: number) => ({ kind: "Column" as const, offset });

describe("gather primitives", () => {
  it("aggregates raw rows gathered from the shards: count(*) counts rows, count(x) non-NULLs, avg gets 4 more decimals", async () => {
    const c = vc((rs) => rs.shard === "-80"
      ? result([["region", Type.VARCHAR], ["n", Type.INT64]], [["eu", "1"], ["us", null], ["eu", "2"]])
      : result([["region", Type.VARCHAR], ["n", Type.INT64]], [["us", "4"], ["eu", "4"]]));
    const node: PlanNode = {
      kind: "OrderedAggregate", groupBy: [{ col: 0, desc: false }],
      aggregates: [
        { opcode: "count_star", col: 1, alias: "count(*)", raw: true },
        { opcode: "count", col: 2, alias: "count(n)", raw: true },
        { opcode: "avg", col: 3, alias: "avg(n)", raw: true },
        { opcode: "sum", col: 4, alias: "sum(n)", raw: true },
      ],
      input: {
        kind: "MemorySort", orderBy: [{ col: 0, desc: false }],
        input: {
          kind: "EvalProjection", names: ["region", "1", "n", "n", "n"],
          exprs: [col(0), { kind: "Literal", type: Type.INT64, value: "1" }, col(1), col(1), col(1)],
          input: scatter("select region, n from (select ...) as dt"),
        },
      },
    };
    const r = await execute(node, c);
    expect(c.log.filter((l) => l.startsWith("ExecuteMultiShard"))).toHaveLength(1);
    expect(text(r)).toEqual([["eu", "3", "3", "2.3333", "7"], ["us", "2", "1", "4.0000", "4"]]);
    expect(r.fields.map((f) => [f.name, f.type])).toEqual([
      ["region", Type.VARCHAR], ["1", Type.INT64], ["n", Type.INT64], ["n", Type.DECIMAL], ["n", Type.DECIMAL],
    ]);
  });

  it("EvalProjection computes expressions over aggregated columns and names them", async () => {
    const c = vc(() => result([["lo", Type.VARCHAR], ["hi", Type.VARCHAR]], [["a", "a"], ["a", "b"], [null, "b"]]));
    const node: PlanNode = {
      kind: "EvalProjection", names: ["MIN(name) = MAX(name)", "hi"],
      exprs: [{ kind: "Compare", op: "=", left: col(0), right: col(1) }, col(1)],
      input: { ...scatter("select lo, hi from t"), opcode: "Reference" },
    };
    const r = await execute(node, c);
    expect(text(r)).toEqual([["1", "a"], ["0", "b"], [null, "b"]]);
    expect(r.fields.map((f) => [f.name, f.type])).toEqual([["MIN(name) = MAX(name)", Type.INT64], ["hi", Type.VARCHAR]]);
  });

  it("a correlated scalar subquery runs once per outer row with the outer column bound; fields survive an empty outer side", async () => {
    const c = vc((rs, q) => {
      if (q.sql.startsWith("select c.code")) return rs.shard === "-80" ? result([["code", Type.VARCHAR]], [["DE"], ["FR"]]) : undefined;
      const code = q.bindVars.c_code?.value ? dec.decode(q.bindVars.c_code.value) : "";
      return result([["count(*)", Type.INT64]], [[code === "DE" ? "2" : "0"]]);
    });
    const sub: PlanNode = {
      kind: "UncorrelatedSubquery", opcode: "PulloutValue", resultName: "__sq_corr1", hasValuesName: "__sq_has_values_corr1",
      subquery: { ...scatter("select count(*) from users as u where u.country_code = :c_code"), opcode: "Reference" },
      outer: { kind: "EvalProjection", exprs: [{ kind: "BindVar", name: "__sq_corr1" }], names: ["n"], input: { kind: "SingleRow" } },
    };
    const node: PlanNode = {
      kind: "Join", opcode: "Join", cols: [-1, 1], vars: { c_code: 0 },
      left: { ...scatter("select c.code from countries as c"), opcode: "Reference" }, right: sub,
    };
    const r = await execute(node, c);
    expect(text(r)).toEqual([["DE", "2"], ["FR", "0"]]);
    expect(c.log.filter((l) => l.includes(":c_code"))).toHaveLength(2);
    expect(r.fields.map((f) => f.name)).toEqual(["code", "n"]);
    const empty = vc((_rs, q) => (q.sql.startsWith("select c.code") ? result([["code", Type.VARCHAR]], []) : result([["count(*)", Type.INT64]], [["0"]])));
    const e = await execute(node, empty);
    expect(e.rows).toEqual([]);
    expect(e.fields.map((f) => f.name)).toEqual(["code", "n"]);
  });

  it("session settings become a SET STATEMENT prefix on SELECT/DML only; none set costs nothing", async () => {
    expect(statementSettingsPrefix(new Map([["workload", "'olap'"]]))).toBe("");
    const prefix = statementSettingsPrefix(new Map([["time_zone", "'+05:30'"], ["autocommit", "1"], ["sql_mode", "''"]]));
    expect(prefix).toBe("SET STATEMENT time_zone = '+05:30', sql_mode = '' FOR ");
    const c = vc();
    expect(withStatementSettings(c, "")).toBe(c);
    const shards = withStatementSettings(c, prefix);
    const rs = [{ keyspace: "commerce", shard: "-80", tabletType: "PRIMARY" }];
    await shards.executeMultiShard(rs, [{ sql: "select 1", bindVars: {} }], { isDML: false, canAutocommit: true });
    await shards.executeMultiShard(rs, [{ sql: "create table t (id int)", bindVars: {} }], { isDML: false, canAutocommit: true });
    expect(c.log).toEqual([
      "ExecuteMultiShard commerce.-80: SET STATEMENT time_zone = '+05:30', sql_mode = '' FOR select 1 {}",
      "ExecuteMultiShard commerce.-80: create table t (id int) {}",
    ]);
  });

  it("--max_memory_rows bounds in-memory operators with a clear 1203 error", async () => {
    const c = vc(() => result([["a", Type.INT64]], [["3"], ["1"], ["2"]]));
    const sort: PlanNode = { kind: "MemorySort", orderBy: [{ col: 0, desc: false }], input: scatter("select a from t") };
    await expect(execute(sort, { ...c, maxMemoryRows: 6 } as never)).resolves.toMatchObject({ rows: [enc.encode("1"), enc.encode("1"), enc.encode("2"), enc.encode("2"), enc.encode("3"), enc.encode("3")].map((x) => [x]) });
    await expect(execute(sort, { ...c, maxMemoryRows: 5 } as never)).rejects.toMatchObject({ errno: 1203, message: "in-memory row count exceeded allowed limit of 5" });
    const distinct: PlanNode = { kind: "Distinct", input: scatter("select a from t") };
    await expect(execute(distinct, { ...c, maxMemoryRows: 4 } as never)).rejects.toMatchObject({ errno: 1203 });
  });

  it("DBA routes go to the keyspace a table_schema filter names; SQL_CALC_FOUND_ROWS sets FOUND_ROWS from its count query", async () => {
    const vs = vschema();
    const main: KeyspaceSchema = { keyspace: { name: "main", sharded: false }, tables: new Map(), vindexes: new Map(), requireExplicitRouting: false };
    (vs.keyspaces as Map<string, KeyspaceSchema>).set("main", main);
    const c = new LoggingVCursor(vs, { commerce: ["-80", "80-"], main: ["0"] }, (_rs, q) => (q.sql.startsWith("select count") ? result([["count(*)", Type.INT64]], [["42"]]) : undefined));
    const dba = (schema: string): Route => ({ ...scatter("select table_name from information_schema.tables where table_schema = :s"), opcode: "DBA",
      sysTableSchema: [{ kind: "BindVar", name: "s" }] } as Route);
    await execute(dba("main"), c, { s: bindVar(varcharValue("main")) });
    await execute(dba("nope"), c, { s: bindVar(varcharValue("nope")) });
    expect(c.log.filter((l) => l.startsWith("ExecuteMultiShard")).map((l) => l.split(":")[0])).toEqual(["ExecuteMultiShard main.0", "ExecuteMultiShard commerce.-80"]);
    let found = -1n;
    const session = { ...c.session, inTransaction: () => false, recordWarning: () => {}, setLastInsertId: () => {}, setVariable: () => {}, setFoundRows: (n: bigint) => { found = n; } };
    const node: PlanNode = { kind: "SQLCalcFoundRows", limit: { kind: "Limit", count: { kind: "Literal", type: Type.INT64, value: "1" }, input: scatter("select a from t limit :__upper_limit") },
      count: { kind: "ScalarAggregate", aggregates: [{ opcode: "count", col: 0, alias: "count(*)" }], input: scatter("select count(*) from t") } };
    await execute(node, { ...c, session } as never);
    expect(found).toBe(84n);
  });

  it("VEXPLAIN QUERIES records each shard query with its bind variables substituted", async () => {
    const c = vc();
    const log: ExplainedQuery[] = [];
    const node: Route = { ...scatter("select * from orders where user_id in ::__vals"), opcode: "IN", vindex: "hash",
      values: [{ kind: "Tuple", exprs: [{ kind: "Literal", type: Type.INT64, value: "1" }, { kind: "Literal", type: Type.INT64, value: "4" }] }] };
    await execute(node, { ...c, shards: recordingShards(c, log) } as never);
    const r = vexplainQueriesResult(log);
    expect(r.fields.map((f) => f.name)).toEqual(["#", "keyspace", "shard", "query"]);
    expect(text(r)).toEqual([
      ["0", "commerce", "-80", "select * from orders where user_id in (1)"],
      ["1", "commerce", "80-", "select * from orders where user_id in (4)"],
    ]);
  });
});
