import type { OrderByParam } from "./route.js";
import type { PlanNode } from "./plan-node.js";

/**
 * Aggregation merge opcodes: how vtgate combines one column of per-shard partial aggregates.
 * count/count_star: shard counts are added (result BIGINT); sum: exact decimal addition; min/max; avg: `col` holds the
 * shard SUM and `countCol` the shard COUNT; any_value keeps the first value;
 * count_distinct/sum_distinct: the shards group by the distinct expression too and return it in `col` (and
 * `distinctCols` for more arguments); vtgate counts/sums each new value of a group's sorted run once;
 * group_concat: shard strings joined with `separator` (raw: the group's values, DISTINCT and sorted by `orderCols`);
 * json_arrayagg/json_objectagg: the shards' JSON arrays/objects spliced into one (NULL when every shard has none);
 * var_pop/var_samp/stddev_pop/stddev_samp (raw only): MariaDB's running-mean recurrence in doubles over the values.
 */
export type AggregateOpcode =
  | "count" | "count_star" | "sum" | "min" | "max" | "avg" | "any_value" | "count_distinct" | "sum_distinct" | "group_concat"
  | "json_arrayagg" | "json_objectagg" | "var_pop" | "var_samp" | "stddev_pop" | "stddev_samp";

/** One aggregate output column. */
export interface AggregateParam {
  readonly opcode: AggregateOpcode;
  readonly col: number;
  readonly countCol?: number;
  /** count_distinct over several expressions: the offsets of the 2nd.. arguments. */
  readonly distinctCols?: readonly number[];
  /** Display text, e.g. "count(*)". */
  readonly alias: string;
  /**
   * The input holds the rows themselves, not per-shard partial aggregates (aggregation in vtgate over a join, a
   * derived table, ...): count counts non-NULL values, count_star counts rows, avg averages `col` directly.
   */
  readonly raw?: boolean;
  /** group_concat: the separator (default ","), DISTINCT, and the ORDER BY keys' input offsets (raw only). */
  readonly separator?: string;
  readonly distinct?: boolean;
  readonly orderCols?: readonly { readonly col: number; readonly desc: boolean }[];
}

/** Group key: column offset and sort direction of the (sorted) input. */
export interface GroupByParam { readonly col: number; readonly desc: boolean }

/** Aggregates a stream already sorted by the group keys (Vitess "Aggregate" Ordered). */
export interface OrderedAggregate {
  readonly kind: "OrderedAggregate";
  readonly aggregates: readonly AggregateParam[];
  readonly groupBy: readonly GroupByParam[];
  /** WITH ROLLUP (raw input only): super-aggregate rows per key level and a grand total, keys NULL. */
  readonly rollup?: true;
  readonly truncateColumnCount?: number;
  readonly input: PlanNode;
}

/** Aggregates the whole input into one row (Vitess "Aggregate" Scalar). */
export interface ScalarAggregate {
  readonly kind: "ScalarAggregate";
  readonly aggregates: readonly AggregateParam[];
  readonly truncateColumnCount?: number;
  readonly input: PlanNode;
}

/** Sorts the whole input in memory. */
export interface MemorySort {
  readonly kind: "MemorySort";
  readonly orderBy: readonly OrderByParam[];
  readonly truncateColumnCount?: number;
  readonly input: PlanNode;
}
