import type { TargetDestination } from "@vt/plan";
import type { VSchema } from "@vt/vindexes";

/** Session facts the planner needs. */
export interface PlanOptions {
  /** The session's keyspace (from USE or the connection's database), if any. */
  readonly keyspace?: string;
  /** Tablet type the session targets ("PRIMARY", "REPLICA", "RDONLY"); plans do not depend on it today. */
  readonly tabletType?: string;
  /** Explicit shard target from `USE ks:-80` / `ks[-80]`: every statement passes through to it unchanged. */
  readonly destination?: TargetDestination;
}

/** What every planning function receives. */
export interface PlanningContext {
  readonly vschema: VSchema;
  readonly opts: PlanOptions;
}
