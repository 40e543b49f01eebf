// Bind variable builders for the SQL that lookup vindexes issue.
import { type BindVariable, Type, type Value } from "@vt/sqltypes";

const EMPTY = new Uint8Array(0);

/** A scalar bind variable from a Value (NULL → NULL_TYPE). */
export function valueBindVar(v: Value): BindVariable {
  return { type: v.raw === null ? Type.NULL_TYPE : v.type, value: v.raw ?? EMPTY, values: [] };
}

/** A VARBINARY bind variable from bytes. */
export function bytesBindVar(b: Uint8Array): BindVariable {
  return { type: Type.VARBINARY, value: b, values: [] };
}

/** A TUPLE bind variable (for `in ::name`). */
export function tupleBindVar(vs: readonly Value[]): BindVariable {
  return { type: Type.TUPLE, value: EMPTY, values: vs.map((v) => ({ type: v.raw === null ? Type.NULL_TYPE : v.type, value: v.raw ?? EMPTY })) };
}
