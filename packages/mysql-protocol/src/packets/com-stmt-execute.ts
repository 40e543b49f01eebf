import type { Value } from "@vt/sqltypes";
import { longDataParam, readBinaryParam } from "./binary-param.js";
import { malformed, PayloadReader } from "./payload-reader.js";
import type { PacketWriter } from "./packet-writer.js";

/** A decoded COM_STMT_EXECUTE. */
export interface ComStmtExecute {
  statementId: number;
  flags: number;
  params: Value[];
  /** Parameter types (type | unsigned<<15) in effect: the new ones if bound, else `previousTypes`. */
  paramTypes: number[];
}

/** Reads only the statement id of a COM_STMT_* payload (after the command byte). Throws 1835 if truncated. */
export function readStatementId(payload: Buffer): number {
  if (payload.length < 5) throw malformed("missing statement id");
  return payload.readUInt32LE(1);
}

/**
 * Decodes a COM_STMT_EXECUTE payload for a statement with `paramCount` parameters: NULL bitmap,
 * new-params-bound flag with types (else `previousTypes` are reused), then each non-NULL value that did not
 * arrive through COM_STMT_SEND_LONG_DATA (`longData`). Throws SqlError 1835 when truncated or when no types
 * were ever bound.
 */
export function decodeComStmtExecute(payload: Buffer, paramCount: number, previousTypes: readonly number[],
  longData: ReadonlyMap<number, Buffer> = new Map()): ComStmtExecute {
  const r = new PayloadReader(payload, 1);
  const statementId = r.u32();
  const flags = r.u8();
  r.u32(); // iteration count, always 1
  const params: Value[] = [];
  if (paramCount === 0) return { statementId, flags, params, paramTypes: [] };
  const bitmap = r.bytes((paramCount + 7) >> 3);
  const bound = r.u8();
  let types: number[];
  if (bound === 1) {
    types = [];
    for (let i = 0; i < paramCount; i++) {
      const t = r.u8();
      const f = r.u8();
      types.push(t | ((f & 0x80) << 8));
    }
  } else {
    if (previousTypes.length !== paramCount) throw malformed("parameter types were never bound");
    types = [...previousTypes];
  }
  for (let i = 0; i < paramCount; i++) {
    const t = types[i] as number;
    const mysqlType = t & 0xff;
    const long = longData.get(i);
    if (((bitmap[i >> 3] as number) & (1 << (i & 7))) !== 0) params.push({ type: 0, raw: null });
    else if (long !== undefined) params.push(longDataParam(mysqlType, long));
    else params.push(readBinaryParam(r, mysqlType, (t & 0x8000) !== 0));
  }
  return { statementId, flags, params, paramTypes: types };
}

/** Client side (tests): encodes a COM_STMT_EXECUTE with new-params-bound and the given raw typed values. */
export function encodeComStmtExecute(w: PacketWriter, statementId: number,
  params: readonly { mysqlType: number; unsigned?: boolean; value: Buffer | null }[]): void {
  w.begin().u8(0x17).u32(statementId).u8(0).u32(1);
  if (params.length > 0) {
    const bitmap = Buffer.alloc((params.length + 7) >> 3);
    params.forEach((p, i) => {
      if (p.value === null) bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
    });
    w.bytes(bitmap).u8(1);
    for (const p of params) w.u8(p.mysqlType).u8(p.unsigned ? 0x80 : 0);
    for (const p of params) if (p.value !== null) w.bytes(p.value);
  }
  w.end();
}
