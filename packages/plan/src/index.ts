// @vt/plan: executable plans as readonly JSON data, one node type per Vitess primitive (Route, Aggregate, Sort,
// Limit, Distinct, Join, Concatenate, Insert, Update, Delete, Send, Rows, SingleRow, Set). The planner builds them,
// vtgate caches them, the engine executes them through an executor table keyed by `kind`, and describe() prints
// them in Vitess's PrimitiveDescription shape for EXPLAIN/VEXPLAIN and golden tests.
export type { RouteOpcode, KeyspaceRef, TargetDestination, OrderByParam, RoutingParams, Route } from "./route.js";
export type { AggregateOpcode, AggregateParam, GroupByParam, OrderedAggregate, ScalarAggregate, MemorySort } from "./aggregate.js";
export type { Insert } from "./insert.js";
export type { EvalProjection } from "./eval-projection.js";
export type { Window, WindowFuncParam, WindowFuncName, WindowFrameParam, FrameBoundParam } from "./window.js";
export type { SQLCalcFoundRows } from "./calc-found-rows.js";
export type { SubqueryApply } from "./subquery-apply.js";
export type { RecursiveCte } from "./recursive-cte.js";
export type {
  Limit, Distinct, Filter, UncorrelatedSubquery, Projection, Join, Concatenate, Update, Delete, Send, Rows, SingleRow, SetOp, Set, PlanNode, PlanKind,
  PlanOf, Plan,
} from "./plan-node.js";
export { describe, type PrimitiveDescription } from "./describe.js";
export { VINDEX_FUNC_COLUMNS, type VindexFunc, type OwnedLookups, type RowMove, type InsertOwned, type ColumnChange, type LimitedDml, type VindexLookup } from "./vindex-nodes.js";
