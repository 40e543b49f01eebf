// Schema tracking in vtgate: CREATE TABLE texts → columns, full load on a keyspace's first primary report, reloads
// of the tables a report names (drops included), and the VSchema merge rules (authoritative VSchema columns win,
// sharded keyspaces get no new tables, unsharded ones do).
import { describe, expect, it } from "vitest";
import type { QueryService } from "@vt/tablet-client";
import { createTableColumns } from "./create-table-columns.js";
import { SchemaTracker } from "./schema-tracker.js";

const USERS = "CREATE TABLE `users` (\n  `user_id` bigint(20) NOT NULL,\n  `name` varchar(100) DEFAULT NULL,\n" +
  "  `n` int(10) unsigned DEFAULT NULL,\n  `odd``name` decimal(10,2) DEFAULT NULL,\n  PRIMARY KEY (`user_id`),\n  KEY `idx` (`name`)\n) ENGINE=InnoDB";

describe("createTableColumns", () => {
  it("reads column names (backticks unescaped) and Vitess types, skipping keys", () => {
    expect(createTableColumns(USERS)).toEqual([
      { name: "user_id", type: "INT64" }, { name: "name", type: "VARCHAR" }, { name: "n", type: "UINT32" }, { name: "odd`name", type: "DECIMAL" },
    ]);
    expect(createTableColumns("not a table")).toEqual([]);
  });
});

function fakeConn(schema: Map<string, string>, calls: string[][]): QueryService {
  return {
    getSchema: async (_t: unknown, names: readonly string[]) => {
      calls.push([...names]);
      const out: Record<string, string> = {};
      for (const [t, ddl] of schema) if (names.length === 0 || names.includes(t)) out[t] = ddl;
      return out;
    },
  } as unknown as QueryService;
}

const srv = {
  keyspaces: {
    commerce: { sharded: true, tables: { users: { column_vindexes: [{ column: "user_id", name: "hash" }] },
      orders: { columns: [{ name: "order_id", type: "INT64" }], column_list_authoritative: true } } },
    main: { sharded: false, tables: { seq: { type: "sequence" } } },
  },
};

describe("SchemaTracker", () => {
  it("loads a keyspace fully on its first primary report, then reloads only changed tables", async () => {
    const schema = new Map([["users", USERS], ["orders", "CREATE TABLE `orders` (\n  `order_id` bigint NOT NULL,\n  `extra` int\n)"], ["tmp", "CREATE TABLE `tmp` (\n  `x` int\n)"]]);
    const calls: string[][] = [];
    const conn = fakeConn(schema, calls);
    const tracker = new SchemaTracker(() => undefined);
    let changes = 0;
    tracker.onChange(() => changes++);
    const report = (tabletType: number, changed: string[]) => tracker.handleHealth({ keyspace: "commerce", shard: "-80", tabletType, serving: true, conn, tableSchemaChanged: changed });
    report(2, []); // replicas are not tracked
    await tracker.settled();
    expect(calls).toEqual([]);
    report(1, []);
    report(1, []);
    await tracker.settled();
    expect(calls).toEqual([[]]);
    expect(tracker.columns("commerce", "tmp")).toEqual([{ name: "x", type: "INT32" }]);
    schema.delete("tmp");
    schema.set("users", "CREATE TABLE `users` (\n  `user_id` bigint NOT NULL,\n  `email` varchar(255)\n)");
    report(1, ["tmp", "users"]);
    await tracker.settled();
    expect(calls[1]).toEqual(["tmp", "users"]);
    expect(tracker.columns("commerce", "tmp")).toBeUndefined();
    expect(tracker.columns("commerce", "users")?.map((c) => c.name)).toEqual(["user_id", "email"]);
    expect(changes).toBe(2);
  });

  it("merges: tracked columns become authoritative unless the VSchema's are; only unsharded keyspaces gain tables", async () => {
    const tracker = new SchemaTracker(() => undefined);
    const calls: string[][] = [];
    tracker.handleHealth({ keyspace: "commerce", shard: "-80", tabletType: 1, serving: true, tableSchemaChanged: [], conn: fakeConn(new Map([
      ["users", USERS], ["orders", "CREATE TABLE `orders` (\n  `order_id` bigint,\n  `secret` int\n)"], ["unlisted", "CREATE TABLE `unlisted` (\n  `a` int\n)"],
    ]), calls) });
    tracker.handleHealth({ keyspace: "main", shard: "0", tabletType: 1, serving: true, tableSchemaChanged: [], conn: fakeConn(new Map([
      ["seq", "CREATE TABLE `seq` (\n  `id` int,\n  `next_id` bigint\n)"], ["t1", "CREATE TABLE `t1` (\n  `a` int,\n  `b` text\n)"],
    ]), calls) });
    await tracker.settled();
    const merged = tracker.merge(srv) as { keyspaces: Record<string, { tables: Record<string, unknown> }> };
    const commerce = merged.keyspaces["commerce"]!.tables;
    expect(commerce["users"]).toEqual({ column_vindexes: [{ column: "user_id", name: "hash" }], column_list_authoritative: true,
      columns: [{ name: "user_id", type: "INT64" }, { name: "name", type: "VARCHAR" }, { name: "n", type: "UINT32" }, { name: "odd`name", type: "DECIMAL" }] });
    expect(commerce["orders"]).toEqual(srv.keyspaces.commerce.tables.orders);
    expect(commerce["unlisted"]).toBeUndefined();
    const main = merged.keyspaces["main"]!.tables;
    expect(main["seq"]).toEqual({ type: "sequence", columns: [{ name: "id", type: "INT32" }, { name: "next_id", type: "INT64" }], column_list_authoritative: true });
    expect(main["t1"]).toEqual({ columns: [{ name: "a", type: "INT32" }, { name: "b", type: "TEXT" }], column_list_authoritative: true });
    expect(srv.keyspaces.main.tables).toEqual({ seq: { type: "sequence" } }); // the input is not modified
  });
});
