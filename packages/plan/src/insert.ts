import type { EvalExpr } from "@vt/evalengine";
import type { KeyspaceRef } from "./route.js";
import type { InsertOwned } from "./vindex-nodes.js";

/**
 * INSERT. InsertUnsharded sends `query` to the keyspace's only shard. InsertSharded computes the primary vindex's
 * keyspace id for each row from `vindexValues[row]` (one expr per vindex column), groups rows by shard, and sends
 * `prefix + rows.join(", ") + suffix` to each shard.
 */
export interface Insert {
  readonly kind: "Insert";
  readonly opcode: "InsertUnsharded" | "InsertSharded";
  readonly keyspace: KeyspaceRef;
  readonly tableName: string;
  readonly query?: string;
  readonly prefix?: string;
  readonly rows?: readonly string[];
  readonly suffix?: string;
  readonly vindex?: string;
  readonly vindexValues?: readonly (readonly EvalExpr[])[];
  /** INSERT IGNORE / ON DUPLICATE KEY UPDATE: owned lookup rows are created ignoring duplicates, then verified. */
  readonly ignore?: boolean;
  /** Owned lookup vindexes: their rows are created (with the rows' keyspace ids) before the insert. */
  readonly owned?: readonly InsertOwned[];
  /** Reference table (InsertUnsharded to every shard): counts come from one shard. */
  readonly reference?: boolean;
  /** INSERT ... SELECT: the input's rows are the values, each column by offset (vindexValues use Column exprs). */
  readonly input?: import("./plan-node.js").PlanNode;
  /** Sequence fetch for auto-increment: per row the given value (null → generate). */
  readonly generate?: {
    readonly keyspace: KeyspaceRef; readonly table: string; readonly column: string;
    readonly values: readonly (EvalExpr | null)[];
  };
}
