import type { EvalExpr } from "@vt/evalengine";
import type { MemorySort, OrderedAggregate, ScalarAggregate } from "./aggregate.js";
import type { EvalProjection } from "./eval-projection.js";
import type { Window } from "./window.js";
import type { SQLCalcFoundRows } from "./calc-found-rows.js";
import type { SubqueryApply } from "./subquery-apply.js";
import type { RecursiveCte } from "./recursive-cte.js";
import type { Insert } from "./insert.js";
import type { KeyspaceRef, Route, RoutingParams, TargetDestination } from "./route.js";
import type { LimitedDml, OwnedLookups, RowMove, VindexFunc, VindexLookup } from "./vindex-nodes.js";

/** Applies LIMIT/OFFSET in vtgate. Binds `__upper_limit` (count + offset) for the input's shard queries. */
export interface Limit { readonly kind: "Limit"; readonly count: EvalExpr; readonly offset?: EvalExpr; readonly input: PlanNode }

/** Keeps the input rows for which `predicate` is true (HAVING/WHERE evaluated in vtgate). */
export interface Filter { readonly kind: "Filter"; readonly predicate: EvalExpr; readonly input: PlanNode }

/**
 * Runs `subquery` first and binds its result for `outer` (Vitess's UncorrelatedSubquery). PulloutIn/PulloutNotIn bind
 * the single column's values as the list `resultName` (one NULL when empty) and `hasValuesName` (1/0); PulloutValue
 * binds the one value (NULL for no row; more than one row → 1242); PulloutExists binds `hasValuesName`.
 */
export interface UncorrelatedSubquery {
  readonly kind: "UncorrelatedSubquery";
  readonly opcode: "PulloutIn" | "PulloutNotIn" | "PulloutValue" | "PulloutExists";
  readonly resultName: string;
  readonly hasValuesName: string;
  readonly subquery: PlanNode;
  readonly outer: PlanNode;
}

/** Removes duplicate rows (over the first truncateColumnCount columns, or all). */
export interface Distinct { readonly kind: "Distinct"; readonly truncateColumnCount?: number; readonly input: PlanNode }

/** Keeps the listed input columns (a SimpleProjection). */
export interface Projection { readonly kind: "Projection"; readonly cols: readonly number[]; readonly input: PlanNode }

/**
 * Nested-loop join. `cols`: negative n → left column -n-1, positive n → right column n-1 (Vitess's JoinColumnIndexes).
 * `vars`: bind variable name → left column offset, bound for each right-side execution.
 */
export interface Join {
  readonly kind: "Join";
  readonly opcode: "Join" | "LeftJoin";
  readonly cols: readonly number[];
  readonly vars: Readonly<Record<string, number>>;
  readonly left: PlanNode;
  readonly right: PlanNode;
}

/** UNION ALL of its sources (fields from the first). */
export interface Concatenate { readonly kind: "Concatenate"; readonly sources: readonly PlanNode[] }

/** UPDATE routed like a Route. */
export interface Update extends RoutingParams {
  readonly kind: "Update"; readonly tableName: string; readonly query: string; readonly multiShardAutocommit?: boolean;
  /** Owned lookup vindexes whose columns change: old values selected first, lookup rows replaced. */
  readonly owned?: OwnedLookups;
  /** Reference table: the write goes to every shard; counts come from one. */
  readonly reference?: boolean;
  /** The primary vindex column changes: rows are moved (select, delete, insert). */
  readonly move?: RowMove;
  /** Multi-shard ORDER BY ... LIMIT: rows chosen across shards first. */
  readonly limited?: LimitedDml;
}
/** DELETE routed like a Route. */
export interface Delete extends RoutingParams {
  readonly kind: "Delete"; readonly tableName: string; readonly query: string; readonly multiShardAutocommit?: boolean;
  /** Owned lookup vindexes: the rows' lookup columns are selected first and their lookup rows deleted. */
  readonly owned?: OwnedLookups;
  /** Multi-shard ORDER BY ... LIMIT: rows chosen across shards first. */
  readonly limited?: LimitedDml;
  /** Reference table: the write goes to every shard; counts come from one. */
  readonly reference?: boolean;
}

/** Sends a statement (DDL, passthrough) as-is to the target shards (default: all shards of the keyspace). */
export interface Send {
  readonly kind: "Send";
  readonly keyspace: KeyspaceRef;
  readonly targetDestination: TargetDestination;
  readonly query: string;
  readonly isDML: boolean;
  readonly singleShardOnly: boolean;
}

/** A constant result computed at plan time. Values are text (null for NULL). */
export interface Rows {
  readonly kind: "Rows";
  readonly fields: readonly { readonly name: string; readonly type: number }[];
  readonly rows: readonly (readonly (string | null)[])[];
}

/** One row with no columns (input for vtgate-evaluated projections). */
export interface SingleRow { readonly kind: "SingleRow" }

/** One SET assignment evaluated by vtgate (`value` absent when the expression must be evaluated by a shard). */
export interface SetOp {
  readonly scope: "user" | "session" | "global";
  readonly name: string;
  readonly value?: EvalExpr;
  /** SQL text of the expression (for shard evaluation / EXPLAIN). */
  readonly expr: string;
}
/** SET statement: vtgate applies each assignment through SessionState. */
export interface Set { readonly kind: "Set"; readonly ops: readonly SetOp[] }

/** Every executable node. */
export type PlanNode =
  | Route | OrderedAggregate | ScalarAggregate | MemorySort | Limit | Distinct | Projection | Join | Concatenate | Filter | UncorrelatedSubquery
  | Insert | Update | Delete | Send | Rows | SingleRow | Set | VindexFunc | VindexLookup | EvalProjection | SQLCalcFoundRows
  | SubqueryApply | RecursiveCte | Window;

export type PlanKind = PlanNode["kind"];
/** The node type for a kind. */
export type PlanOf<K extends PlanKind> = Extract<PlanNode, { kind: K }>;

/** A cached plan: original (normalized) query, statement type, the node tree and the tables it touches. */
export interface Plan {
  readonly original: string;
  readonly statementType: string;
  readonly instructions: PlanNode;
  readonly tablesUsed: readonly string[];
}
