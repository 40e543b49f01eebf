import type { EvalExpr } from "@vt/evalengine";
import type { PlanNode } from "./plan-node.js";
import type { OrderByParam } from "./route.js";

/** Window functions vtgate computes (aggregates OVER a window use their aggregate names; `count_star` is COUNT(*)). */
export type WindowFuncName =
  | "row_number" | "rank" | "dense_rank" | "percent_rank" | "cume_dist" | "ntile" | "lag" | "lead"
  | "first_value" | "last_value" | "nth_value" | "count" | "count_star" | "sum" | "avg" | "min" | "max";

/** One end of a frame; `offset` (evaluated once per execution) for `preceding`/`following`. */
export interface FrameBoundParam {
  readonly type: "unbounded preceding" | "preceding" | "current row" | "following" | "unbounded following";
  readonly offset?: EvalExpr;
}

/** A frame: ROWS counts rows; RANGE compares the (single, numeric for offsets) ORDER BY key; CURRENT ROW includes peers. */
export interface WindowFrameParam { readonly unit: "rows" | "range"; readonly start: FrameBoundParam; readonly end: FrameBoundParam }

/**
 * One window function over the input rows: `args` are evaluated over each input row (Column offsets) and the bind
 * variables; PARTITION BY and ORDER BY are input column offsets. No frame means MariaDB's default: the whole
 * partition without ORDER BY, else RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (the current row's peers too).
 */
export interface WindowFuncParam {
  readonly func: WindowFuncName;
  readonly args: readonly EvalExpr[];
  readonly partitionBy: readonly number[];
  readonly orderBy: readonly OrderByParam[];
  readonly frame?: WindowFrameParam;
  /** Output column name (the expression's text). */
  readonly alias: string;
}

/**
 * Computes window functions in vtgate over all input rows (gathered from the shards): the output is each input row
 * followed by one column per window function, in input order. Holds every row: bounded by --max_memory_rows.
 */
export interface Window { readonly kind: "Window"; readonly windows: readonly WindowFuncParam[]; readonly input: PlanNode }
