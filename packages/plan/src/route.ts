import type { EvalExpr } from "@vt/evalengine";
import type { PlanNode } from "./plan-node.js";

/**
 * How a Route (or DML) reaches shards. Spelled as in Vitess's engine/routing.go.
 * - Unsharded: Requires: keyspace is unsharded. One shard.
 * - EqualUnique: Requires: vindex and one value; the vindex is unique. At most one shard.
 * - Equal: Requires: vindex and one value (non-unique vindex). Any number of shards.
 * - IN: Requires: vindex and one list value (`::__vals` in the query is bound per shard).
 * - MultiEqual: Requires: vindex and one list value; a tuple IN (`(a, b) IN ((1, 2), ...)`). The query goes unchanged
 *   to the shards of the values.
 * - SubShard: Requires: multi-column vindex and values for its leading columns: the key range they map to.
 * - Between: reserved (not planned yet).
 * - Scatter: all shards of the keyspace.
 * - Next: Requires: sequence table in an unsharded keyspace. Fetches sequence values.
 * - DBA: information_schema / system tables; any shard of the keyspace.
 * - Reference: reference table; any shard.
 * - None: the query provably matches nothing (e.g. `id in ()`); no shard is asked.
 * - ByDestination: Requires: targetDestination. The session's or statement's explicit shard target.
 */
export type RouteOpcode =
  | "Unsharded" | "EqualUnique" | "Equal" | "IN" | "Between" | "MultiEqual" | "SubShard" | "Scatter" | "Next" | "DBA"
  | "Reference" | "None" | "ByDestination";

/** A keyspace as plans name it. */
export interface KeyspaceRef { readonly name: string; readonly sharded: boolean }

/** An explicit shard target (USE `ks:-80`, `ks[-80]`), JSON-friendly. */
export type TargetDestination =
  | { readonly kind: "Shards"; readonly shards: readonly string[] }
  | { readonly kind: "KeyRange"; readonly range: string }
  | { readonly kind: "AllShards" }
  | { readonly kind: "AnyShard" };

/** One ORDER BY key over result columns (merge-sort on Route, MemorySort). */
export interface OrderByParam { readonly col: number; readonly desc: boolean }

/** Routing fields shared by Route, Update and Delete. */
export interface RoutingParams {
  readonly opcode: RouteOpcode;
  readonly keyspace: KeyspaceRef;
  /** Vindex name (in the keyspace's vschema) for EqualUnique/Equal/IN. */
  readonly vindex?: string;
  /** EqualUnique/Equal: one scalar; IN: one list (tuple or `::list`). */
  readonly values?: readonly EvalExpr[];
  readonly targetDestination?: TargetDestination;
}

/** Sends a query to the shards chosen by its routing params; merge-sorts when `orderBy` is set. */
export interface Route extends RoutingParams {
  readonly kind: "Route";
  readonly tableName: string;
  /** Query for the shards (bind variables allowed). */
  readonly query: string;
  /** `... where 1 != 1` query giving the result's fields. */
  readonly fieldQuery: string;
  readonly orderBy?: readonly OrderByParam[];
  /** Columns kept in the output (extra columns were added for sorting). */
  readonly truncateColumnCount?: number;
  /**
   * DBA routes: the values of `table_schema = ...` (and other *_schema) predicates. At run time the query goes to a
   * shard of the keyspace they name when it is one (a keyspace's database has the keyspace's name), else to a shard
   * of the route's keyspace (Vitess's SysTableTableSchema).
   */
  readonly sysTableSchema?: readonly EvalExpr[];
}

export type { PlanNode };
