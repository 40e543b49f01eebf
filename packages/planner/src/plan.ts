import { VT } from "@vt/errors";
import type { Plan, PlanNode } from "@vt/plan";
import { format, type Statement } from "@vt/sqlparser";
import type { VSchema } from "@vt/vindexes";
import { planDelete, planInsert, planUpdate } from "./dml-planner.js";
import { planDDL, planNext, planPassthrough, planSet, planTargeted } from "./misc-planner.js";
import type { PlanningContext, PlanOptions } from "./planning-context.js";
import { applyRoutingRules } from "./routed-tables.js";
import { planSelect } from "./select-planner.js";
import { planVindexFunc } from "./vindex-func-planner.js";
import { withVindexLookups } from "./lookup-routes.js";

/**
 * Plans one statement against a VSchema snapshot. `original` is the (normalized) query text kept on the plan.
 * Statements vtgate executes itself (USE, BEGIN/COMMIT/ROLLBACK, SAVEPOINT, Vitess SHOW extensions, VEXPLAIN) are
 * not planned: they throw VT13001. Errors: SqlError 1146 unknown table, VT09005 no keyspace, VT12001 unsupported.
 */
export function plan(stmt: Statement, vschema: VSchema, opts: PlanOptions = {}, original?: string): Plan {
  const ctx: PlanningContext = { vschema, opts };
  const text = original ?? format(stmt);
  const instructions = ctx.opts.destination && isRoutable(stmt) ? planTargeted(ctx, stmt, text) : planNode(ctx, applyRoutingRules(ctx, stmt));
  return { original: text, statementType: stmt.kind.toUpperCase(), instructions, tablesUsed: tablesUsed(instructions) };
}

const isRoutable = (s: Statement): boolean =>
  ["Select", "Union", "Insert", "Update", "Delete", "DDL", "Other", "Show"].includes(s.kind) && !(s.kind === "Show" && s.show !== "other");

function planNode(ctx: PlanningContext, stmt: Statement): PlanNode {
  switch (stmt.kind) {
    case "Select": case "Union": return planVindexFunc(ctx, stmt) ?? withVindexLookups(ctx, planSelect(ctx, stmt));
    case "Insert": return planInsert(ctx, stmt);
    case "Update": return planUpdate(ctx, stmt);
    case "Delete": return planDelete(ctx, stmt);
    case "Set": return planSet(stmt);
    case "DDL": return planDDL(ctx, stmt);
    case "NextVal": return planNext(ctx, stmt);
    case "Other": return planPassthrough(ctx, stmt.text);
    case "Show":
      if (stmt.show === "other") return planPassthrough(ctx, stmt.text);
      throw VT.VT13001(`SHOW ${stmt.show} is executed by vtgate`);
    default: throw VT.VT13001(`${stmt.kind} is executed by vtgate, not planned`);
  }
}

function tablesUsed(n: PlanNode): string[] {
  const out = new Set<string>();
  addTablesUsed(n, out);
  return [...out].sort();
}

function addTablesUsed(x: PlanNode, out: Set<string>): void {
  switch (x.kind) {
    case "Route": case "Update": case "Delete": case "Insert":
      for (const t of x.tableName.split(", ")) if (t) out.add(`${x.keyspace.name}.${t}`);
      return;
    case "OrderedAggregate": case "ScalarAggregate": case "MemorySort": case "Limit": case "Distinct": case "Projection": case "Filter": case "EvalProjection":
      return addTablesUsed(x.input, out);
    case "Join": addTablesUsed(x.left, out); return addTablesUsed(x.right, out);
    case "SQLCalcFoundRows": return addTablesUsed(x.limit, out);
    case "VindexLookup": return addTablesUsed(x.sendTo, out);
    case "UncorrelatedSubquery": case "SubqueryApply": addTablesUsed(x.subquery, out); return addTablesUsed(x.outer, out);
    case "RecursiveCte": addTablesUsed(x.anchor, out); return addTablesUsed(x.recursive, out);
    case "Concatenate": for (const s of x.sources) addTablesUsed(s, out); return;
    default: return;
  }
}
