import { describe, expect, it } from "vitest";
import { describe as describePlan } from "@vt/plan";
import { parse } from "@vt/sqlparser";
import { buildVSchema, defaultVindexRegistry } from "@vt/vindexes";
import { plan } from "./plan.js";
import type { PlanOptions } from "./planning-context.js";

const vschema = buildVSchema({
  keyspaces: {
    commerce: {
      sharded: true, vindexes: { hash: { type: "hash" } },
      tables: { users: { column_vindexes: [{ column: "user_id", name: "hash" }] }, orders: { column_vindexes: [{ column: "user_id", name: "hash" }] } },
    },
    main: { sharded: false, tables: { settings: {} } },
  },
  routing_rules: {
    rules: [
      { from_table: "commerce.users@replica", to_tables: ["main.users_copy"] },
      { from_table: "commerce.legacy", to_tables: ["commerce.orders"] },
      { from_table: "commerce.gone", to_tables: [] },
      { from_table: "settings", to_tables: ["main.settings"] },
      { from_table: "bad", to_tables: ["main.a", "main.b"] },
    ],
  },
}, defaultVindexRegistry());

const describeQ = (sql: string, opts: PlanOptions): unknown => {
  try {
    return describePlan(plan(parse(sql), vschema, opts).instructions);
  } catch (e) {
    return (e as Error).message;
  }
};
const text = (sql: string, opts: PlanOptions): string => JSON.stringify(describeQ(sql, opts));

describe("routing rules in table resolution", () => {
  it("applies a @replica rule only to replica sessions, qualified with the session keyspace", () => {
    const replica = text("select name from users where user_id = 1", { keyspace: "commerce", tabletType: "REPLICA" });
    expect(replica).toContain("main");
    expect(replica).toContain("from users_copy as users");
    const primary = text("select name from users where user_id = 1", { keyspace: "commerce", tabletType: "PRIMARY" });
    expect(primary).toContain("commerce");
    expect(primary).not.toContain("users_copy");
  });

  it("rewrites a redirected table to its target's name, keeping the query's name as alias", () => {
    const p = text("select legacy.amount from legacy where user_id = 5", { keyspace: "commerce" });
    expect(p).toContain("from orders as legacy");
    expect(p).toContain("EqualUnique");
    expect(text("select amount from commerce.legacy l", {})).toContain("from orders as l");
    expect(text("update legacy set amount = 1 where user_id = 5", { keyspace: "commerce" })).toContain("orders");
    expect(text("insert into legacy (order_id, user_id) values (1, 5)", { keyspace: "commerce" })).toContain("insert into orders");
  });

  it("uses unqualified rules without a session keyspace", () => {
    expect(text("select * from settings", {})).toContain("main");
  });

  it("reports disabled tables and broken rules", () => {
    expect(describeQ("select * from gone", { keyspace: "commerce" })).toBe("table gone has been disabled");
    expect(String(describeQ("select * from bad", {}))).toMatch(/more than one target/);
  });
});
