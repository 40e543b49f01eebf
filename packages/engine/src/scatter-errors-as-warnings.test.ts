// SCATTER_ERRORS_AS_WARNINGS against the logging fake: a failing shard of a scatter read becomes a warning and the
// other shard's rows come back; when every shard fails, or the call is DML, the error stands.
import { describe, expect, it } from "vitest";
import { SqlError } from "@vt/errors";
import type { Route } from "@vt/plan";
import { makeField, Type, type Result } from "@vt/sqltypes";
import type { KeyspaceSchema, VSchema } from "@vt/vindexes";
import { execute, stream } from "./execute.js";
import { withScatterErrorsAsWarnings } from "./scatter-errors-as-warnings.js";
import { LoggingVCursor, type FakeShardResults } from "./testing/logging-vcursor.js";

const enc = new TextEncoder();
const commerce = { name: "commerce", sharded: true };
const vschema = (): VSchema => {
  const ks: KeyspaceSchema = { keyspace: commerce, tables: new Map(), vindexes: new Map(), requireExplicitRouting: false };
  return { keyspaces: new Map([["commerce", ks]]), globalTables: new Map(), routingRules: new Map() };
};
const rows = (vals: string[]): Result => ({
  fields: [makeField("id", Type.INT64)], rows: vals.map((v) => [enc.encode(v)]), rowsAffected: 0n, insertId: 0n, info: "",
});
const down = new SqlError(1105, "HY000", "target: commerce.80-.primary: no healthy tablet available", "UNAVAILABLE");
const scatter: Route = { kind: "Route", opcode: "Scatter", keyspace: commerce, tableName: "t", query: "select id from t", fieldQuery: "select id from t where 1 != 1" };
const plan = (r: Route) => ({ original: r.query, statementType: "SELECT", instructions: r, tablesUsed: ["commerce.t"] });

function cursor(results: FakeShardResults): LoggingVCursor & { shards: LoggingVCursor["shards"] } {
  const c = new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, results);
  return Object.assign(c, { shards: withScatterErrorsAsWarnings(c, c) });
}

describe("withScatterErrorsAsWarnings", () => {
  it("returns the healthy shards' rows and records each failing shard as a warning", async () => {
    const c = cursor((rs) => (rs.shard === "80-" ? down : rows(["1", "2"])));
    const r = await execute(plan(scatter), c, {});
    expect(r.rows.length).toBe(2);
    expect(c.warnings).toEqual([{ code: 1105, message: down.message }]);
    expect(c.log).toEqual(["ResolveDestinations commerce DestinationAllShards()", "ExecuteMultiShard commerce.-80: select id from t {} commerce.80-: select id from t {}"]);
  });

  it("does the same for the streaming path", async () => {
    const c = cursor((rs) => (rs.shard === "-80" ? down : rows(["3"])));
    const got: Result[] = [];
    for await (const r of stream(plan(scatter), c, {})) got.push(r);
    expect(got.flatMap((r) => r.rows).length).toBe(1);
    expect(c.warnings.map((w) => w.code)).toEqual([1105]);
  });

  it("keeps the error when every shard fails", async () => {
    const c = cursor(() => down);
    await expect(execute(plan(scatter), c, {})).rejects.toThrow(/no healthy tablet/);
    expect(c.warnings).toEqual([]);
  });

  it("without the directive the first shard error fails the query", async () => {
    const c = new LoggingVCursor(vschema(), { commerce: ["-80", "80-"] }, (rs) => (rs.shard === "80-" ? down : rows(["1"])));
    await expect(execute(plan(scatter), c, {})).rejects.toThrow(/no healthy tablet/);
  });
});
