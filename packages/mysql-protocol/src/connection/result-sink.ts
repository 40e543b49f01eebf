import { SqlError } from "@vt/errors";
import type { Field, Result, Row } from "@vt/sqltypes";
import { encodeBinaryRow } from "../packets/binary-row.js";
import { encodeColumnDefinition } from "../packets/column-definition.js";
import { encodeEof } from "../packets/eof.js";
import { encodeErr } from "../packets/err.js";
import { encodeOk } from "../packets/ok.js";
import { PacketWriter } from "../packets/packet-writer.js";
import type { ResultSink, ResultSummary } from "./handler.js";

/** What the sink needs from its connection. */
export interface SinkOwner {
  readonly writer: PacketWriter;
  readonly deprecateEof: boolean;
  readonly isClosed: boolean;
  statusFlags(moreResults: boolean): number;
  /** Writes what is buffered; resolves once the socket can take more. */
  flushAndWait(): Promise<void>;
}

/** Buffered bytes after which rows() pushes them to the socket (and may wait for drain). */
const FLUSH_THRESHOLD = 64 * 1024;

/**
 * The ResultSink the server hands to a handler for one command. `binary` switches rows to the binary
 * protocol (COM_STMT_EXECUTE). Reused per connection: `reset()` before each command, `finish()` after.
 */
export class CommandResultSink implements ResultSink {
  private phase: "start" | "rows" | "ended" = "start";
  private fieldList: readonly Field[] = [];
  private readonly resolved = Promise.resolve();
  /**
   * ColumnDefinition41 payloads of frozen Fields (immutable, e.g. vtgate's tablet client hands the same frozen Field
   * objects for the same columns), so a repeated query's column definitions are copied, not re-encoded.
   */
  private readonly columnDefs = new WeakMap<Field, Buffer>();
  binary = false;

  constructor(private readonly owner: SinkOwner) {}

  get closed(): boolean {
    return this.owner.isClosed;
  }

  /** Prepares for a new command. */
  reset(binary: boolean): void {
    this.phase = "start";
    this.fieldList = [];
    this.binary = binary;
  }

  fields(fields: readonly Field[]): void {
    if (this.phase !== "start") throw new Error("ResultSink.fields: a result is already open or the response ended");
    if (fields.length === 0) return;
    const w = this.owner.writer;
    w.begin().lenencInt(fields.length).end();
    for (const f of fields) {
      if (!Object.isFrozen(f)) { encodeColumnDefinition(w, f); continue; }
      let def = this.columnDefs.get(f);
      if (def === undefined) {
        const tmp = new PacketWriter(256);
        encodeColumnDefinition(tmp, f);
        def = tmp.take().subarray(4);
        this.columnDefs.set(f, def);
      }
      w.begin().bytes(def).end();
    }
    if (!this.owner.deprecateEof) encodeEof(w, 0, this.owner.statusFlags(false));
    this.fieldList = fields;
    this.phase = "rows";
  }

  rows(rows: readonly Row[]): Promise<void> {
    if (this.owner.isClosed) return Promise.reject(clientGone());
    if (this.phase !== "rows") throw new Error("ResultSink.rows: fields() must come first");
    const w = this.owner.writer;
    if (this.binary) for (const r of rows) encodeBinaryRow(w, r, this.fieldList);
    else w.textRows(rows);
    if (w.length >= FLUSH_THRESHOLD) return this.owner.flushAndWait();
    return this.resolved;
  }

  done(summary: ResultSummary = {}): void {
    if (this.phase === "ended") throw new Error("ResultSink.done: the response already ended");
    const more = summary.moreResults === true;
    const w = this.owner.writer;
    const status = this.owner.statusFlags(more);
    const warnings = summary.warnings ?? 0;
    if (this.phase === "rows") {
      if (this.owner.deprecateEof) {
        encodeOk(w, { affectedRows: 0, lastInsertId: 0, statusFlags: status, warnings, info: "" }, true);
      } else {
        encodeEof(w, warnings, status);
      }
    } else {
      encodeOk(w, {
        affectedRows: summary.rowsAffected ?? 0, lastInsertId: summary.insertId ?? 0, statusFlags: status,
        warnings, info: summary.info ?? "",
      });
    }
    this.phase = more ? "start" : "ended";
  }

  error(err: SqlError): void {
    if (this.phase === "ended") throw new Error("ResultSink.error: the response already ended");
    encodeErr(this.owner.writer, err);
    this.phase = "ended";
  }

  async sendResult(r: Result, moreResults = false): Promise<void> {
    if (r.fields.length > 0) {
      this.fields(r.fields);
      if (r.rows.length > 0) await this.rows(r.rows);
    }
    this.done({ rowsAffected: r.rowsAffected, insertId: r.insertId, info: r.info, warnings: r.warnings ?? 0, moreResults });
  }

  /** Reports a handler failure: an ERR packet if the response is still open, else false (nothing can be sent). */
  fail(err: SqlError): boolean {
    if (this.phase === "ended") return false;
    this.error(err);
    return true;
  }

  /** Closes whatever the handler left open, so the client always gets a complete response. */
  finish(): void {
    // An open result gets its EOF; an empty response (or one whose last done() promised more) gets an OK.
    if (this.phase !== "ended") this.done();
  }
}

/** The error rows() rejects with once the client disconnected. */
export function clientGone(): SqlError {
  return new SqlError(1317, "70100", "Query execution was interrupted: client disconnected", "CANCELED");
}
