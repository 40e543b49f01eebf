import type { PacketWriter } from "./packet-writer.js";

/** Appends the COM_STMT_PREPARE_OK header packet (0x00, id, columns, params, filler, warnings). */
export function encodeComStmtPrepareOk(w: PacketWriter, statementId: number, columns: number, params: number,
  warnings = 0): void {
  w.begin().u8(0).u32(statementId).u16(columns).u16(params).u8(0).u16(warnings);
  w.end();
}
