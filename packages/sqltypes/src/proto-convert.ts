// Conversions between @vt/sqltypes' plain values and the generated query.proto messages.
// Objects are built as literals (with $typeName) rather than through `create()`: this runs per result on
// vttablet's and vtgate's hot paths.
import type {
  BindVariable as PbBindVariable,
  BoundQuery as PbBoundQuery,
  Field as PbField,
  QueryResult as PbQueryResult,
  Row as PbRow,
  Value as PbValue,
} from "@vt/proto/query";
import type { BindVariable, Field, Result, Row, Value } from "./result.js";
import { Type } from "./type.js";

const EMPTY = new Uint8Array(0);

/** A proto Field from a plain Field. */
export function fieldToProto(f: Field): PbField {
  return {
    $typeName: "query.Field",
    name: f.name,
    type: f.type,
    table: f.table,
    orgTable: f.orgTable,
    database: f.database,
    orgName: f.orgName,
    columnLength: f.columnLength,
    charset: f.charset,
    decimals: f.decimals,
    flags: f.flags,
    columnType: f.columnType,
  };
}

/**
 * A plain Field from a proto Field. The proto object already has every Field property, so it is returned
 * as is (no copy); treat it as read-only.
 */
export function fieldFromProto(f: PbField): Field {
  return f as Field;
}

/** Encodes one row as per-column lengths (-1 for NULL) plus one concatenated values buffer. */
export function rowToProto(row: Row): PbRow {
  const n = row.length;
  const lengths = new Array<number>(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = row[i];
    if (v === null || v === undefined) {
      lengths[i] = -1;
    } else {
      lengths[i] = v.length;
      total += v.length;
    }
  }
  let values: Uint8Array;
  if (total === 0) {
    values = EMPTY;
  } else {
    values = new Uint8Array(total);
    let off = 0;
    for (let i = 0; i < n; i++) {
      const v = row[i];
      if (v !== null && v !== undefined && v.length > 0) {
        values.set(v, off);
        off += v.length;
      }
    }
  }
  return { $typeName: "query.Row", lengths, values };
}

/** Decodes a proto row into per-column views of `values` (no copies); null for length -1. */
export function rowFromProto(row: PbRow): Row {
  const lengths = row.lengths;
  const values = row.values;
  const n = lengths.length;
  const out = new Array<Uint8Array | null>(n);
  let off = 0;
  for (let i = 0; i < n; i++) {
    const len = lengths[i] as number;
    if (len < 0) {
      out[i] = null;
    } else {
      out[i] = values.subarray(off, off + len);
      off += len;
    }
  }
  return out;
}

/** A proto QueryResult from a plain Result (warnings/statusFlags have no proto field and are dropped). */
export function resultToProto(r: Result): PbQueryResult {
  const fields = new Array<PbField>(r.fields.length);
  for (let i = 0; i < fields.length; i++) fields[i] = fieldToProto(r.fields[i] as Field);
  const rows = new Array<PbRow>(r.rows.length);
  for (let i = 0; i < rows.length; i++) rows[i] = rowToProto(r.rows[i] as Row);
  return {
    $typeName: "query.QueryResult",
    fields,
    rowsAffected: r.rowsAffected,
    insertId: r.insertId,
    rows,
    info: r.info,
    sessionStateChanges: "",
    insertIdChanged: false,
  };
}

/** A plain Result from a proto QueryResult. Row values are views into the proto's buffers. */
export function resultFromProto(q: PbQueryResult): Result {
  const rows = new Array<Row>(q.rows.length);
  for (let i = 0; i < rows.length; i++) rows[i] = rowFromProto(q.rows[i] as PbRow);
  return {
    fields: q.fields as Field[],
    rows,
    rowsAffected: q.rowsAffected,
    insertId: q.insertId,
    info: q.info,
  };
}

/** A proto Value from a plain Value (NULL becomes NULL_TYPE with empty bytes). */
export function valueToProto(v: Value): PbValue {
  if (v.raw === null) return { $typeName: "query.Value", type: Type.NULL_TYPE, value: EMPTY };
  return { $typeName: "query.Value", type: v.type, value: v.raw };
}

/** A plain Value from a proto Value (NULL_TYPE becomes raw null). */
export function valueFromProto(v: PbValue): Value {
  return { type: v.type, raw: v.type === Type.NULL_TYPE ? null : v.value };
}

/** A proto BindVariable from a plain one. */
export function bindVariableToProto(b: BindVariable): PbBindVariable {
  const values = new Array<PbValue>(b.values.length);
  for (let i = 0; i < values.length; i++) {
    const v = b.values[i] as { type: number; value: Uint8Array };
    values[i] = { $typeName: "query.Value", type: v.type, value: v.value };
  }
  return { $typeName: "query.BindVariable", type: b.type, value: b.value, values };
}

/** A plain BindVariable from a proto one. */
export function bindVariableFromProto(b: PbBindVariable): BindVariable {
  const values = new Array<{ type: number; value: Uint8Array }>(b.values.length);
  for (let i = 0; i < values.length; i++) {
    const v = b.values[i] as PbValue;
    values[i] = { type: v.type, value: v.value };
  }
  return { type: b.type, value: b.value, values };
}

/** Converts a bind-variable map to its proto form. */
export function bindVariablesToProto(bv: Readonly<Record<string, BindVariable>>): Record<string, PbBindVariable> {
  const out: Record<string, PbBindVariable> = {};
  for (const k in bv) out[k] = bindVariableToProto(bv[k] as BindVariable);
  return out;
}

/** Converts a proto bind-variable map to plain bind variables. */
export function bindVariablesFromProto(bv: Readonly<Record<string, PbBindVariable>>): Record<string, BindVariable> {
  const out: Record<string, BindVariable> = {};
  for (const k in bv) out[k] = bindVariableFromProto(bv[k] as PbBindVariable);
  return out;
}

/** A proto BoundQuery from SQL text and bind variables. */
export function boundQueryToProto(sql: string, bindVars: Readonly<Record<string, BindVariable>> = {}): PbBoundQuery {
  return { $typeName: "query.BoundQuery", sql, bindVariables: bindVariablesToProto(bindVars) };
}
