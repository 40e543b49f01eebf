import { typeToMySQL, type Field, type Row } from "@vt/sqltypes";
import { ColumnFlag } from "../constants/column-flags.js";
import type { PacketWriter } from "./packet-writer.js";
import { writeBinaryValue } from "./binary-value.js";

/**
 * Appends a binary-protocol result row (COM_STMT_EXECUTE responses): 0x00, the NULL bitmap (offset 2), then each
 * non-NULL value converted from its text bytes according to its field's type.
 * Requires: row.length === fields.length.
 */
export function encodeBinaryRow(w: PacketWriter, row: Row, fields: readonly Field[]): void {
  w.begin().u8(0);
  const bitmapLen = (row.length + 7 + 2) >> 3;
  const bitmapAt = w.length;
  w.zeros(bitmapLen);
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    const f = fields[i];
    if (v === null || v === undefined || f === undefined) {
      const bit = i + 2;
      w.patchU8(bitmapAt + (bit >> 3), readBit(w, bitmapAt + (bit >> 3)) | (1 << (bit & 7)));
      continue;
    }
    const { mysqlType, flags } = typeToMySQL(f.type);
    writeBinaryValue(w, mysqlType, ((flags | f.flags) & ColumnFlag.UNSIGNED) !== 0, v);
  }
  w.end();
}

function readBit(w: PacketWriter, at: number): number {
  return w.peekU8(at);
}
