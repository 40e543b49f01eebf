import type { PlanNode } from "./plan-node.js";

/**
 * `SELECT SQL_CALC_FOUND_ROWS ... LIMIT n` (Vitess's SQLCalcFoundRows): `limit` gives the rows; `count` (one row, one
 * column) gives the row count without the LIMIT, which becomes the session's FOUND_ROWS().
 */
export interface SQLCalcFoundRows { readonly kind: "SQLCalcFoundRows"; readonly limit: PlanNode; readonly count: PlanNode }
