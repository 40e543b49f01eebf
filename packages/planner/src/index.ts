// @vt/planner: turns a parsed statement plus a VSchema snapshot into a Plan (@vt/plan data).
// Phases: resolve tables (table-resolver: keyspace qualifiers, session keyspace, global routing, 1146 errors) →
// choose routing from WHERE (routing: cheapest unique vindex for = / IN, else Scatter) → build the horizon
// (horizon: whole query for single-shard routes; pushed-down GROUP BY/ORDER BY/LIMIT with vtgate-side aggregate
// merge, merge-sort, Limit and Distinct for multi-shard routes) → lookup routes become VindexLookup (lookup-routes)
// → DML (dml-planner: per-row primary and owned lookup vindex values for INSERT incl. IGNORE/upsert/SELECT/REPLACE,
// owned-lookup old-value selects for UPDATE/DELETE, row moves for primary vindex changes, multi-shard ORDER BY ...
// LIMIT, reference-table writes, co-located multi-table forms) → a vindex queried as a table (vindex-func-planner)
// → passthroughs (DDL to all shards, SET, NEXT, shard targets).
export { plan } from "./plan.js";
export type { PlanOptions } from "./planning-context.js";
