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

  it("planning a point select is cheap next to parsing", () => {
    const stmt = parse("select * from users where user_id = :vtg1");
    const opts = { keyspace: "commerce" };
    for (let i = 0; i < 200; i++) plan(stmt, vschema, opts);
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) plan(stmt, vschema, opts);
    const perPlan = ((performance.now() - t0) * 1000) / n;
    const t1 = performance.now();
    for (let i = 0; i < n; i++) normalize("select * from users where user_id = 12345");
    const perNormalize = ((performance.now() - t1) * 1000) / n;
    // Generous bounds: the machine is shared. Typical: plan ~5-15 µs, normalize ~2-5 µs.
    expect(perPlan).toBeLessThan(200);
    expect(perNormalize).toBeLessThan(100);
    console.log(`plan ${perPlan.toFixed(1)} µs, normalize ${perNormalize.toFixed(1)} µs`);
  });
});
