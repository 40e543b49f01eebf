import { orderedAggregateExecutor, scalarAggregateExecutor } from "./aggregate.js";
import { deleteExecutor, updateExecutor } from "./dml.js";
import type { ExecutorTable } from "./executor.js";
import { insertExecutor } from "./insert.js";
import { filterExecutor } from "./filter.js";
import { evalProjectionExecutor } from "./eval-projection.js";
import { calcFoundRowsExecutor } from "./calc-found-rows.js";
import { uncorrelatedSubqueryExecutor } from "./subquery.js";
import { subqueryApplyExecutor } from "./subquery-apply.js";
import { recursiveCteExecutor } from "./recursive-cte.js";
import { joinExecutor } from "./join.js";
import { routeExecutor } from "./route.js";
import { sendExecutor } from "./send.js";
import { vindexFuncExecutor } from "./vindex-func.js";
import { vindexLookupExecutor } from "./vindex-lookup.js";
import { windowExecutor } from "./window.js";
import {
  concatenateExecutor, distinctExecutor, limitExecutor, memorySortExecutor, projectionExecutor, rowsExecutor,
  setExecutor, singleRowExecutor,
} from "./simple-executors.js";

/** One executor per plan kind (exhaustive: adding a PlanKind without an executor fails typecheck). */
export const executors: ExecutorTable = {
  Route: routeExecutor,
  OrderedAggregate: orderedAggregateExecutor,
  ScalarAggregate: scalarAggregateExecutor,
  MemorySort: memorySortExecutor,
  Limit: limitExecutor,
  Distinct: distinctExecutor,
  Filter: filterExecutor,
  UncorrelatedSubquery: uncorrelatedSubqueryExecutor,
  Projection: projectionExecutor,
  Join: joinExecutor,
  Concatenate: concatenateExecutor,
  Insert: insertExecutor,
  Update: updateExecutor,
  Delete: deleteExecutor,
  Send: sendExecutor,
  Rows: rowsExecutor,
  SingleRow: singleRowExecutor,
  Set: setExecutor,
  VindexFunc: vindexFuncExecutor,
  VindexLookup: vindexLookupExecutor,
  EvalProjection: evalProjectionExecutor,
  SQLCalcFoundRows: calcFoundRowsExecutor,
  SubqueryApply: subqueryApplyExecutor,
  RecursiveCte: recursiveCteExecutor,
  Window: windowExecutor,
};
