// @vt/engine: executes @vt/plan plans. Each plan kind has one executor (executors.ts, exhaustive over PlanKind);
// executors see vtgate only through small role interfaces (vcursor.ts): ShardExecutor (send queries to shards),
// DestinationResolver (destinations → shards), SessionState (transaction, warnings, last insert id, SET) and the
// vindexes' LookupCursor. Merging (aggregates over raw text with exact decimals, merge-sort, limit, distinct,
// per-shard INSERT split) happens here. DML maintains owned lookup vindexes through the LookupCursor inside
// VCursor.transaction (owned-lookups.ts); VindexFunc and VindexLookup map values through vindexes.
// Entry points: execute(plan, vc, bindVars) and stream(plan, vc, bindVars).
export { execCursor, execute, stream } from "./execute.js";
export { executors } from "./executors.js";
export type { Executor, ExecCursor, ExecutorTable } from "./executor.js";
export type {
  BindVars, ResolvedShard, BoundQuery, ExecOpts, ShardOutcome, ShardExecutor, DestinationResolver, Warning,
  SessionState, VCursor,
} from "./vcursor.js";
export { resolveRouteNow, targetToDestination, type RoutedShards } from "./resolve-route.js";
export { mergeResults } from "./result-utils.js";
export { recordingShards, vexplainPlanResult, vexplainQueriesResult, vexplainAllResult, type ExplainedQuery } from "./vexplain.js";
export { withScatterErrorsAsWarnings } from "./scatter-errors-as-warnings.js";
export { statementSettingsPrefix, withStatementSettings, RESULT_AFFECTING_VARS } from "./statement-settings.js";
export { LoggingVCursor, type FakeShardResults } from "./testing/logging-vcursor.js";
