import type { EvalExpr } from "@vt/evalengine";
import type { KeyspaceRef } from "./route.js";

/** The columns a vindex queried as a table offers, in Vitess's order. */
export const VINDEX_FUNC_COLUMNS = ["id", "keyspace_id", "range_start", "range_end", "hex_keyspace_id", "shard"] as const;

/**
 * A vindex queried as a table (Vitess VindexFunc, variant VindexMap): `select ... from ks.<vindex> where id = v` or
 * `id in (...)`. Each value is mapped through the vindex; one row per keyspace id (or key range) found.
 * `cols[i].col` indexes VINDEX_FUNC_COLUMNS; `cols[i].name` is the output column name (alias).
 */
export interface VindexFunc {
  readonly kind: "VindexFunc";
  readonly opcode: "VindexMap";
  readonly keyspace: KeyspaceRef;
  readonly vindex: string;
  /** A scalar (`id = v`) or a list (`id in (...)`, a Tuple or a list bind variable). */
  readonly value: EvalExpr;
  readonly cols: readonly { readonly col: number; readonly name: string }[];
}

/**
 * Owned lookup vindex maintenance of an UPDATE or DELETE (Vitess OwnedVindexQuery + ChangedVindexValues).
 * `query` selects, with the DML's routing and WHERE, `for update`: the primary vindex columns, then each listed
 * vindex's columns; `primaryCols` / `vindexes[i].oldCols` are offsets into its rows. For UPDATE, `newValues[j]` is
 * the new value of `oldCols[j]` (an EvalExpr, possibly a `Column` offset of an extra selected expression).
 */
export interface OwnedLookups {
  readonly query: string;
  readonly primaryVindex: string;
  readonly primaryCols: readonly number[];
  readonly vindexes: readonly {
    readonly vindex: string;
    readonly columns: readonly string[];
    readonly oldCols: readonly number[];
    readonly newValues?: readonly EvalExpr[];
  }[];
}

/** New value of a column: an EvalExpr, or (`extra`) the n-th expression appended to a select list. */
export interface ColumnChange { readonly column: string; readonly value?: EvalExpr; readonly extra?: number }

/**
 * UPDATE changing the primary vindex column (the row moves shard, as Vitess does): `query` selects whole rows
 * (`select *, <new value exprs> ... for update`) with the update's routing; then `delete` removes them (maintaining
 * owned lookups) and each row is re-inserted (`insert into table(<all columns>)`) with `changes` applied, routed by
 * the primary vindex and creating owned lookup rows. Runs in one transaction.
 */
export interface RowMove {
  readonly query: string;
  readonly changes: readonly ColumnChange[];
  /** Number of expressions appended after `*`. */
  readonly extras: number;
  readonly table: string;
  readonly primaryVindex: string;
  readonly primaryColumns: readonly string[];
  readonly owned: readonly { readonly vindex: string; readonly columns: readonly string[] }[];
  readonly delete: import("./plan-node.js").Delete;
}

/** Owned lookup vindex values of an INSERT: per row, one expr per vindex column. */
export interface InsertOwned {
  readonly vindex: string;
  readonly columns: readonly string[];
  readonly values: readonly (readonly EvalExpr[])[];
}

/**
 * A multi-shard UPDATE/DELETE with ORDER BY ... LIMIT (Vitess runs these as DML with an input): `query`
 * (`select *, <order exprs> ... order by ... limit n`) runs on every routed shard; rows are merge-sorted by
 * `orderBy` (negative offsets count from the end) and the first `count` kept; then each shard gets
 * `<head> where (<where>) and (<row matches>) limit k`, a row matching every column of a kept row (`<=>`).
 */
export interface LimitedDml {
  readonly query: string;
  readonly orderBy: readonly { readonly col: number; readonly desc: boolean }[];
  readonly extras: number;
  readonly head: string;
  readonly where?: string;
  readonly count: EvalExpr;
}

/**
 * A route through a lookup vindex (Vitess VindexLookup): `lookup` (a planned query on the lookup table, binding the
 * ids as the list `arg`) yields each id's keyspace ids; `sendTo` is then sent to the shards holding them (its own
 * opcode/values are not used to route). `values`: one scalar (Equal, EqualUnique) or one list (IN).
 */
export interface VindexLookup {
  readonly kind: "VindexLookup";
  readonly opcode: "Equal" | "EqualUnique" | "IN";
  readonly keyspace: KeyspaceRef;
  readonly vindex: string;
  readonly values: readonly EvalExpr[];
  readonly lookup: import("./plan-node.js").PlanNode;
  readonly arg: string;
  readonly sendTo: import("./route.js").Route;
}
