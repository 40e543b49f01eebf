import { SqlError } from "@vt/errors";
import { makeField, Type, type Field } from "@vt/sqltypes";
import { ProtoER } from "../constants/errors.js";
import { encodeColumnDefinition } from "../packets/column-definition.js";
import { decodeComStmtExecute, readStatementId } from "../packets/com-stmt-execute.js";
import { encodeComStmtPrepareOk } from "../packets/com-stmt-prepare-ok.js";
import { encodeEof } from "../packets/eof.js";
import type { PreparedStatement } from "./handler.js";
import type { MysqlConnection } from "./mysql-connection.js";

/** Server-side record of a prepared statement: the handler's view plus bound types and long data. */
export class StatementRecord implements PreparedStatement {
  state: unknown = undefined;
  /** Types from the last execute that bound them (type | unsigned<<15). */
  paramTypes: number[] = [];
  /** COM_STMT_SEND_LONG_DATA chunks per parameter index, cleared after each execute. */
  readonly longData = new Map<number, Buffer[]>();

  constructor(readonly id: number, readonly sql: string, readonly paramCount: number, readonly fields: readonly Field[]) {}
}

function unknownStatement(id: number, cmd: string): SqlError {
  return new SqlError(ProtoER.UNKNOWN_STMT_HANDLER, "HY000",
    `Unknown prepared statement handler (${id}) given to ${cmd}`, "NOT_FOUND");
}

/** MariaDB's "the statement prepared last on this connection" id (lets clients pipeline PREPARE + EXECUTE). */
const LAST_PREPARED = 0xffffffff;

function resolveId(c: MysqlConnection, id: number): number {
  return id === LAST_PREPARED ? c.lastPreparedId : id;
}

function lookup(c: MysqlConnection, payload: Buffer, cmd: string): StatementRecord {
  const id = resolveId(c, readStatementId(payload));
  const stmt = c.statements.get(id);
  if (!(stmt instanceof StatementRecord)) throw unknownStatement(id, cmd);
  return stmt;
}

function unsupported(): SqlError {
  return new SqlError(ProtoER.UNKNOWN_COM, "08S01", "Prepared statements are not supported", "UNIMPLEMENTED");
}

/** COM_STMT_PREPARE: asks the handler for parameter count and columns; answers PREPARE_OK + definitions. */
export async function comStmtPrepare(c: MysqlConnection, payload: Buffer): Promise<void> {
  const h = c.config.handler;
  if (!h.comPrepare) throw unsupported();
  const sql = payload.toString("utf8", 1);
  c.lastPreparedId = 0;
  const res = await h.comPrepare(c, sql);
  const id = c.nextStatementId++;
  c.lastPreparedId = id;
  const stmt = new StatementRecord(id, sql, res.paramCount, res.fields);
  c.statements.set(id, stmt);
  const w = c.writer;
  encodeComStmtPrepareOk(w, id, res.fields.length, res.paramCount);
  if (res.paramCount > 0) {
    for (let i = 0; i < res.paramCount; i++) {
      encodeColumnDefinition(w, res.paramFields?.[i] ?? makeField("?", Type.VARBINARY, { charset: 63 }));
    }
    if (!c.deprecateEof) encodeEof(w, 0, c.statusFlags(false));
  }
  if (res.fields.length > 0) {
    for (const f of res.fields) encodeColumnDefinition(w, f);
    if (!c.deprecateEof) encodeEof(w, 0, c.statusFlags(false));
  }
}

/** COM_STMT_EXECUTE: decodes parameters (binary protocol) and runs the handler with a binary-row sink. */
export async function comStmtExecute(c: MysqlConnection, payload: Buffer): Promise<void> {
  const h = c.config.handler;
  if (!h.comStmtExecute) throw unsupported();
  const stmt = lookup(c, payload, "mysqld_stmt_execute");
  const longData = new Map<number, Buffer>();
  for (const [i, parts] of stmt.longData) longData.set(i, Buffer.concat(parts));
  stmt.longData.clear();
  let decoded;
  try {
    decoded = decodeComStmtExecute(payload, stmt.paramCount, stmt.paramTypes, longData);
  } catch (e) {
    throw new SqlError(ProtoER.WRONG_ARGUMENTS, "HY000", "Incorrect arguments to mysqld_stmt_execute", "INVALID_ARGUMENT", { cause: e });
  }
  stmt.paramTypes = decoded.paramTypes;
  const sink = c.sink;
  sink.reset(true);
  try {
    await h.comStmtExecute(c, stmt, decoded.params, sink);
  } catch (e) {
    if (c.isClosed) return;
    if (!sink.fail(SqlError.from(e)) || !(e instanceof SqlError)) c.config.onError(e, c);
    return;
  }
  sink.finish();
}

/** COM_STMT_CLOSE: forgets the statement; no response (unknown ids are ignored, as MySQL does). */
export function comStmtClose(c: MysqlConnection, payload: Buffer): void {
  const id = resolveId(c, readStatementId(payload));
  const stmt = c.statements.get(id);
  if (stmt === undefined) return;
  c.statements.delete(id);
  c.config.handler.comStmtClose?.(c, stmt);
}

/** COM_STMT_SEND_LONG_DATA: appends bytes to one parameter; no response. */
export function comStmtSendLongData(c: MysqlConnection, payload: Buffer): void {
  if (payload.length < 7) return;
  const stmt = c.statements.get(resolveId(c, payload.readUInt32LE(1)));
  if (!(stmt instanceof StatementRecord)) return;
  const param = payload.readUInt16LE(5);
  if (param >= stmt.paramCount) return;
  const parts = stmt.longData.get(param) ?? [];
  parts.push(Buffer.from(payload.subarray(7)));
  stmt.longData.set(param, parts);
}

/** COM_STMT_RESET: drops accumulated long data; answers OK. */
export function comStmtReset(c: MysqlConnection, payload: Buffer): void {
  const stmt = lookup(c, payload, "mysqld_stmt_reset");
  stmt.longData.clear();
  c.writer.begin().u8(0).u8(0).u8(0).u16(c.statusFlags(false)).u16(0).end();
}
