import { SqlError } from "@vt/errors";
import { Capability } from "../constants/capabilities.js";
import { Command, SetOption } from "../constants/commands.js";
import { ProtoER } from "../constants/errors.js";
import { encodeColumnDefinition } from "../packets/column-definition.js";
import { encodeEof } from "../packets/eof.js";
import { encodeErr } from "../packets/err.js";
import { encodeOk } from "../packets/ok.js";
import type { InboundPacket } from "../packets/packet-framer.js";
import { PENDING, type ConnState } from "./conn-state.js";
import type { MysqlConnection } from "./mysql-connection.js";
import { handleChangeUser, resetSession } from "./handshake-state.js";
import { comStmtClose, comStmtExecute, comStmtPrepare, comStmtReset, comStmtSendLongData } from "./stmt-commands.js";

/** Writes an OK packet with the connection's status flags. */
export function writeOk(c: MysqlConnection): void {
  encodeOk(c.writer, { affectedRows: 0, lastInsertId: 0, statusFlags: c.statusFlags(false), warnings: 0, info: "" });
}

/** Writes the ERR packet for anything thrown by a handler. */
export function writeError(c: MysqlConnection, e: unknown): void {
  if (!(e instanceof SqlError)) c.config.onError(e, c);
  encodeErr(c.writer, SqlError.from(e));
}

/** Ends a response the way COM_SET_OPTION and COM_FIELD_LIST do: EOF, or OK-with-0xfe under DEPRECATE_EOF. */
function writeEndOfList(c: MysqlConnection): void {
  if (c.deprecateEof) {
    encodeOk(c.writer, { affectedRows: 0, lastInsertId: 0, statusFlags: c.statusFlags(false), warnings: 0, info: "" }, true);
  } else {
    encodeEof(c.writer, 0, c.statusFlags(false));
  }
}

/**
 * State "command": one client command per packet (sequence id 0). Runs it, flushes the response in one write,
 * and waits for the socket to drain before taking the next command. Unknown commands get 1047.
 *
 * COM_QUERY (the hot path) adds no async frame of its own: the handler's promise gets one reaction that finishes
 * the response, and a command that completes without waiting returns its next state synchronously.
 */
export function handleCommand(c: MysqlConnection, p: InboundPacket): ConnState | Promise<ConnState> | typeof PENDING {
  if (!c.checkSequence(p, 0)) return "closed";
  const payload = p.payload;
  if (payload.length === 0) {
    c.fatal(new SqlError(ProtoER.MALFORMED_PACKET, "08S01", "Malformed communication packet: empty command", "INVALID_ARGUMENT"));
    return "closed";
  }
  const cmd = payload[0] as number;
  if (cmd === Command.CHANGE_USER) return handleChangeUser(c, payload);
  if (cmd === Command.QUERY) return comQuery(c, payload.toString("utf8", 1));
  return handleOtherCommand(c, cmd, payload);
}

/** Every command but COM_QUERY and COM_CHANGE_USER. */
async function handleOtherCommand(c: MysqlConnection, cmd: number, payload: Buffer): Promise<ConnState> {
  try {
    switch (cmd) {
      case Command.QUIT:
        c.close();
        return "closed";
      case Command.INIT_DB:
        await comInitDb(c, payload.toString("utf8", 1));
        break;
      case Command.PING:
        await c.config.handler.comPing?.(c);
        writeOk(c);
        break;
      case Command.FIELD_LIST:
        await comFieldList(c, payload);
        break;
      case Command.SET_OPTION:
        comSetOption(c, payload);
        break;
      case Command.RESET_CONNECTION:
        await comResetConnection(c);
        break;
      case Command.STATISTICS:
        c.writer.begin().str("Uptime: 0  Threads: 1  Questions: 0  Slow queries: 0  Opens: 0  Open tables: 0  Queries per second avg: 0.000").end();
        break;
      case Command.STMT_PREPARE:
        await comStmtPrepare(c, payload);
        break;
      case Command.STMT_EXECUTE:
        await comStmtExecute(c, payload);
        break;
      case Command.STMT_CLOSE:
        comStmtClose(c, payload);
        return "command"; // no response
      case Command.STMT_SEND_LONG_DATA:
        comStmtSendLongData(c, payload);
        return "command"; // no response
      case Command.STMT_RESET:
        comStmtReset(c, payload);
        break;
      default:
        encodeErr(c.writer, { errno: ProtoER.UNKNOWN_COM, sqlState: "08S01", message: `Unknown command ${cmd}` });
    }
  } catch (e) {
    if (c.isClosed) return "closed";
    writeError(c, e);
  }
  return endCommand(c);
}

/** Flushes the response (waiting for drain when the socket asks) and gives the next state. */
function endCommand(c: MysqlConnection): ConnState | Promise<ConnState> {
  if (c.isClosed) return "closed";
  if (!c.flush()) {
    return c.waitDrain().then((): ConnState => {
      c.writer.release();
      return c.isClosed ? "closed" : "command";
    });
  }
  c.writer.release();
  return c.isClosed ? "closed" : "command";
}

/** COM_QUERY: the handler's promise gets one reaction, which finishes the response and resumes the connection. */
function comQuery(c: MysqlConnection, sql: string): ConnState | Promise<ConnState> | typeof PENDING {
  const sink = c.sink;
  sink.reset(false);
  let done: Promise<void>;
  try {
    done = c.config.handler.comQuery(c, sql, sink);
  } catch (e) {
    return queryFailed(c, e);
  }
  done.then(() => finishQuery(c, undefined, false), (e: unknown) => finishQuery(c, e, true));
  return PENDING;
}

function finishQuery(c: MysqlConnection, e: unknown, failed: boolean): void {
  let next: ConnState | Promise<ConnState>;
  try {
    next = failed ? queryFailed(c, e) : queryDone(c);
  } catch (err) {
    c.commandFailed(err);
    return;
  }
  c.commandDone(next);
}

function queryDone(c: MysqlConnection): ConnState | Promise<ConnState> {
  try {
    c.sink.finish();
  } catch (e) {
    if (c.isClosed) return "closed";
    writeError(c, e);
  }
  return endCommand(c);
}

/** A COM_QUERY handler failure: an ERR packet if the response is still open. */
function queryFailed(c: MysqlConnection, e: unknown): ConnState | Promise<ConnState> {
  if (c.isClosed) return "closed";
  if (!c.sink.fail(SqlError.from(e))) c.config.onError(e, c);
  else if (!(e instanceof SqlError)) c.config.onError(e, c);
  return endCommand(c);
}

async function comInitDb(c: MysqlConnection, schema: string): Promise<void> {
  await c.config.handler.comInitDb?.(c, schema);
  c.schema = schema;
  writeOk(c);
}

async function comFieldList(c: MysqlConnection, payload: Buffer): Promise<void> {
  const nul = payload.indexOf(0, 1);
  const table = payload.toString("utf8", 1, nul < 0 ? payload.length : nul);
  const wildcard = nul < 0 ? "" : payload.toString("utf8", nul + 1);
  const fields = (await c.config.handler.comFieldList?.(c, table, wildcard)) ?? [];
  for (const f of fields) encodeColumnDefinition(c.writer, f, true);
  writeEndOfList(c);
}

function comSetOption(c: MysqlConnection, payload: Buffer): void {
  if (payload.length < 3) throw new SqlError(ProtoER.MALFORMED_PACKET, "HY000", "Malformed communication packet", "INVALID_ARGUMENT");
  const op = payload.readUInt16LE(1);
  if (op === SetOption.MULTI_STATEMENTS_ON) c.capabilities = (c.capabilities | Capability.MULTI_STATEMENTS) >>> 0;
  else if (op === SetOption.MULTI_STATEMENTS_OFF) c.capabilities = (c.capabilities & ~Capability.MULTI_STATEMENTS) >>> 0;
  else throw new SqlError(ProtoER.UNKNOWN_COM, "08S01", `Unknown set option ${op}`, "INVALID_ARGUMENT");
  c.config.handler.comSetOption?.(c, op === SetOption.MULTI_STATEMENTS_ON);
  writeEndOfList(c);
}

async function comResetConnection(c: MysqlConnection): Promise<void> {
  await resetSession(c);
  writeOk(c);
}
