// Types of the in-memory VSchema snapshot that the planner and engine see (built from SrvVSchema by
// `buildVSchema`). Contract shared by @vt/vindexes (builds it) and @vt/planner / @vt/engine (read it).
import type { Value } from "@vt/sqltypes";

/** Result of mapping one value (or one tuple of column values) through a vindex. */
export type VindexDestination =
  | { readonly kind: "KeyspaceId"; readonly ksid: Uint8Array }
  | { readonly kind: "KeyspaceIds"; readonly ksids: readonly Uint8Array[] }
  | { readonly kind: "KeyRange"; readonly start: Uint8Array; readonly end: Uint8Array }
  | { readonly kind: "None" };

/** Base of every vindex (Vitess's Vindex interface). */
export interface Vindex {
  readonly name: string;
  /** The vschema JSON `type` string, e.g. "hash". */
  readonly typeName: string;
  readonly cost: number;
  readonly isUnique: boolean;
  /** True for lookup vindexes that query a backing table. */
  readonly needsVCursor: boolean;
}

/** Vindex over one column: maps each value to a destination. Functional vindexes map synchronously. */
export interface SingleColumn extends Vindex {
  map(values: readonly Value[], vc?: LookupCursor): Promise<VindexDestination[]> | VindexDestination[];
  verify(values: readonly Value[], ksids: readonly Uint8Array[], vc?: LookupCursor): Promise<boolean[]> | boolean[];
}

/** Vindex over several columns (multicol, region_*). */
export interface MultiColumn extends Vindex {
  readonly multiColumn: true;
  mapMulti(rows: readonly (readonly Value[])[], vc?: LookupCursor): Promise<VindexDestination[]> | VindexDestination[];
  /** Partial prefixes are allowed: fewer columns → a key range. */
  partialOk: boolean;
}

/** Vindexes whose keyspace id can be turned back into the column value. */
export interface Reversible extends Vindex {
  reverseMap(ksids: readonly Uint8Array[]): Value[];
}

/** Lookup vindexes: backing table maintained with the owner table's DML. */
export interface Lookup extends Vindex {
  readonly lookup: true;
  readonly table: string;
  readonly fromColumns: readonly string[];
  readonly toColumn: string;
  readonly owner: string | undefined;
  readonly writeOnly: boolean;
  readonly ignoreNulls: boolean;
  create(vc: LookupCursor, rows: readonly (readonly Value[])[], ksids: readonly Uint8Array[], ignoreMode: boolean): Promise<void>;
  delete(vc: LookupCursor, rows: readonly (readonly Value[])[], ksid: Uint8Array): Promise<void>;
  update(vc: LookupCursor, oldValues: readonly Value[], ksid: Uint8Array, newValues: readonly Value[]): Promise<void>;
}

/** Vitess vtgate.CommitOrder: which session a lookup query runs in (PRE/POST sessions commit before/after). */
export type CommitOrder = "NORMAL" | "PRE" | "POST" | "AUTOCOMMIT";

/** What a lookup vindex needs from vtgate: run a query in the lookup table's keyspace. */
export interface LookupCursor {
  execute(sql: string, bindVars: Record<string, import("@vt/sqltypes").BindVariable>, opts: { autocommit?: boolean; ignoreDuplicates?: boolean; forUpdate?: boolean; commitOrder?: CommitOrder; rollbackOnError?: boolean }): Promise<import("@vt/sqltypes").Result>;
  /** Optional: true inside a transaction running DML; lookups then read with the vindex's `read_lock`. */
  inTransactionAndIsDML?(): boolean;
  /** Optional: run a query on the shard owning `ksid` in `keyspace` (consistent_lookup locks the owner row). */
  executeKeyspaceId?(keyspace: string, ksid: Uint8Array, sql: string, bindVars: Record<string, import("@vt/sqltypes").BindVariable>, opts: { autocommit?: boolean; rollbackOnError?: boolean }): Promise<import("@vt/sqltypes").Result>;
}

/** A table's column vindex entry (first one = primary vindex). */
export interface ColumnVindex {
  readonly columns: readonly string[];
  readonly name: string;
  readonly vindex: Vindex;
  readonly isUnique: boolean;
  readonly cost: number;
  /** True when this table owns the (lookup) vindex. */
  readonly owned: boolean;
}

export type TableType = "" | "sequence" | "reference";

export interface VSchemaTable {
  readonly name: string;
  readonly keyspace: KeyspaceInfo;
  readonly type: TableType;
  readonly columnVindexes: readonly ColumnVindex[];
  /** Owned lookup vindexes (subset of columnVindexes[1..]). */
  readonly ownedVindexes: readonly ColumnVindex[];
  readonly autoIncrement?: { readonly column: string; readonly sequence: VSchemaTable };
  readonly columns: readonly { readonly name: string; readonly type: number }[];
  readonly columnListAuthoritative: boolean;
  /** Hex keyspace id of a pinned table, if any. */
  readonly pinned?: Uint8Array;
  /** For reference tables: source table "ks.t", if any. */
  readonly source?: string;
}

export interface KeyspaceInfo {
  readonly name: string;
  readonly sharded: boolean;
}

export interface KeyspaceSchema {
  readonly keyspace: KeyspaceInfo;
  readonly tables: ReadonlyMap<string, VSchemaTable>;
  readonly vindexes: ReadonlyMap<string, Vindex>;
  readonly requireExplicitRouting: boolean;
  /** Set when the keyspace's vschema failed to build; the keyspace then serves nothing. */
  readonly error?: Error;
  /** Non-fatal findings while building (e.g. unknown vindex params). */
  readonly warnings?: readonly string[];
}

/** The whole routing schema, as of one SrvVSchema. Immutable: a new one is built on each change. */
export interface VSchema {
  readonly keyspaces: ReadonlyMap<string, KeyspaceSchema>;
  /** Table name → table, for names unique across keyspaces that allow global routing. */
  readonly globalTables: ReadonlyMap<string, VSchemaTable>;
  /** Routing rules: "ks.t" / "t" / "ks.t@replica" → target tables. */
  readonly routingRules: ReadonlyMap<string, readonly VSchemaTable[]>;
  /** Table names defined in several keyspaces that allow global routing (using them unqualified is ambiguous). */
  readonly ambiguousTables?: ReadonlySet<string>;
  /** Routing rules that could not be built (duplicate, several targets, unknown target): "from" → error. */
  readonly routingRuleErrors?: ReadonlyMap<string, Error>;
  /** Shard routing rules: "<from_keyspace>.<shard>" → to_keyspace (partial MoveTables). */
  readonly shardRoutingRules?: ReadonlyMap<string, string>;
  /** Keyspace routing rules: from_keyspace → to_keyspace. */
  readonly keyspaceRoutingRules?: ReadonlyMap<string, string>;
}
