/**
 * Column metadata. Same property names as the generated protobuf-es `query.Field`, so a proto Field can be used
 * where a Field is expected. `type` is a Vitess query.Type; `flags` are MySQL column flags (NOT_NULL, PRI_KEY, ...);
 * `columnType` is the SQL type text (e.g. "bigint(20) unsigned") when known.
 */
export interface Field {
  name: string;
  type: number;
  table: string;
  orgTable: string;
  database: string;
  orgName: string;
  columnLength: number;
  charset: number;
  decimals: number;
  flags: number;
  columnType: string;
}

/** One row: text-protocol bytes per column, null for SQL NULL. */
export type Row = ReadonlyArray<Uint8Array | null>;

/** A query result. `statusFlags`/`warnings` are MySQL OK-packet fields when known. */
export interface Result {
  fields: Field[];
  rows: Row[];
  rowsAffected: bigint;
  insertId: bigint;
  info: string;
  warnings?: number;
  statusFlags?: number;
}

/** A typed SQL value: Vitess query.Type plus its text-protocol bytes (null for NULL). */
export interface Value {
  readonly type: number;
  readonly raw: Uint8Array | null;
}

/** A bind variable (proto query.BindVariable shape): a scalar (`value`) or a TUPLE (`values`). */
export interface BindVariable {
  type: number;
  value: Uint8Array;
  values: { type: number; value: Uint8Array }[];
}

export function emptyResult(): Result {
  return { fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" };
}

/** A Field with defaults for everything but name and type. */
export function makeField(name: string, type: number, extra: Partial<Field> = {}): Field {
  return {
    name, type, table: "", orgTable: "", database: "", orgName: "", columnLength: 0, charset: 0,
    decimals: 0, flags: 0, columnType: "", ...extra,
  };
}
