import type { EvalExpr } from "@vt/evalengine";
import type { KeyspaceRef } from "./route.js";

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
  readonly ignore?: boolean;
  /** Sequence fetch for auto-increment: per row the given value (null → generate). */
  readonly generate?: {
    readonly keyspace: KeyspaceRef; readonly table: string; readonly column: string;
    readonly values: readonly (EvalExpr | null)[];
  };
}
