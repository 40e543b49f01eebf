import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describe as describePlan } from "@vt/plan";
import { parse } from "@vt/sqlparser";
import { plan } from "./plan.js";
import { fixtureVSchema } from "./testing/fixture-vschema.js";
import type { PlanOptions } from "./planning-context.js";

interface Case { comment: string; query: string; keyspace?: string; destination?: PlanOptions["destination"]; plan: unknown; skip?: boolean }

const dir = join(import.meta.dirname, "..", "testdata");
const vschema = fixtureVSchema(JSON.parse(readFileSync(join(dir, "vschemas", "commerce.json"), "utf8")));
const update = process.env.UPDATE_GOLDEN === "1";

function run(c: Case): unknown {
  try {
    const opts: PlanOptions = { keyspace: c.keyspace ?? "commerce", ...(c.destination ? { destination: c.destination } : {}) };
    return describePlan(plan(parse(c.query), vschema, opts).instructions);
  } catch (e) {
    return (e as Error).message;
  }
}

const files = readdirSync(dir).filter((f) => f.endsWith("_cases.json"));
describe.each(files)("%s", (file) => {
  const cases = JSON.parse(readFileSync(join(dir, file), "utf8")) as Case[];
  if (update) {
    for (const c of cases) c.plan = run(c);
    writeFileSync(join(dir, file), JSON.stringify(cases, null, 2) + "\n");
  }
  it.each(cases.map((c) => [c.comment, c] as const))("%s", (_, c) => {
    if (c.skip) return;
    expect(run(c)).toEqual(c.plan);
  });
});
