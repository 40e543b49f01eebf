import { isText, Type, typeFromMySQL, typeToMySQL, type Field } from "@vt/sqltypes";
import { Collation } from "../constants/charsets.js";
import type { PacketWriter } from "./packet-writer.js";
import { PayloadReader } from "./payload-reader.js";

/** The collation a Field goes out with when its own charset is 0: utf8mb4 for text-like types, binary otherwise. */
export function defaultCollation(type: number): number {
  if (isText(type) || type === Type.ENUM || type === Type.SET || type === Type.JSON) return Collation.UTF8MB4_GENERAL_CI;
  return Collation.BINARY;
}

/**
 * Appends a Protocol::ColumnDefinition41 for a Field. The wire type comes from typeToMySQL(field.type); the
 * flags it implies (UNSIGNED, BINARY, ENUM, SET) are OR-ed into field.flags; charset/length/decimals are the
 * Field's own. `fieldList` adds the (NULL) default-value slot that COM_FIELD_LIST responses carry.
 */
export function encodeColumnDefinition(w: PacketWriter, f: Field, fieldList = false): void {
  const { mysqlType, flags } = typeToMySQL(f.type);
  w.begin()
    .u8(3).u8(0x64).u8(0x65).u8(0x66) // "def"
    .lenencStr(f.database)
    .lenencStr(f.table)
    .lenencStr(f.orgTable)
    .lenencStr(f.name)
    .lenencStr(f.orgName)
    .u8(0x0c)
    .u16(f.charset !== 0 ? f.charset : defaultCollation(f.type))
    .u32(f.columnLength)
    .u8(mysqlType)
    .u16((f.flags | flags) & 0xffff)
    .u8(f.decimals)
    .u16(0);
  if (fieldList) w.u8(0xfb);
  w.end();
}

/** Parses a ColumnDefinition41 payload back into a Field (used by tests and client-side tools). */
export function decodeColumnDefinition(payload: Buffer): Field {
  const r = new PayloadReader(payload);
  const s = (): string => r.lenencBytes().toString("utf8");
  s(); // catalog
  const database = s();
  const table = s();
  const orgTable = s();
  const name = s();
  const orgName = s();
  r.lenencInt();
  const charset = r.u16();
  const columnLength = r.u32();
  const mysqlType = r.u8();
  const flags = r.u16();
  const decimals = r.u8();
  const type = typeFromMySQL(mysqlType, flags, charset);
  return { name, type, table, orgTable, database, orgName, columnLength, charset, decimals, flags, columnType: "" };
}
