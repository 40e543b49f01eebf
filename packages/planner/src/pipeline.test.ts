import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Plan } from "@vt/plan";
import { normalize, parse, type Statement } from "@vt/sqlparser";
import { plan } from "./plan.js";
import { fixtureVSchema } from "./testing/fixture-vschema.js";

const vschema = fixtureVSchema(JSON.parse(readFileSync(join(import.meta.dirname, "..", "testdata", "vschemas", "commerce.json"), "utf8")));

describe("vtgate pipeline: normalize → plan cache → parse/plan on miss", () => {
  it("a plan-cache hit never calls the parser", () => {
    let parses = 0;
    const cache = new Map<string, Plan>();
    const get = (sql: string): { plan: Plan; bindVars: ReturnType<typeof normalize>["bindVars"] } => {
      const n = normalize(sql);
      let p = cache.get(n.normalized);
      if (!p) {
        parses++;
        const stmt: Statement = parse(n.normalized);
        p = plan(stmt, vschema, { keyspace: "commerce" }, n.normalized);
        cache.set(n.normalized, p);
      }
      return { plan: p, bindVars: n.bindVars };
    };
    const a = get("select * from users where user_id = 1");
    const b = get("select * from users where user_id = 42");
    get("SELECT * FROM users WHERE user_id = 7");
    expect(parses).toBe(2);
    expect(a.plan).toBe(b.plan);
    expect(a.plan.instructions).toMatchObject({ kind: "Route", opcode: "EqualUnique", values: [{ kind: "BindVar", name: "vtg1" }] });
    expect(new TextDecoder().decode(b.bindVars.vtg1!.value)).toBe("42");
  });
});
