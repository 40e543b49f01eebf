import { connect as netConnect, type Socket } from "node:net";
import { SqlError } from "@vt/errors";
import type { Field, Result, Row } from "@vt/sqltypes";
import type { DbConn, DbConnFactory } from "./db-conn.js";
import {
  Cap, eofStatus, handshakeResponse, lenenc, MORE_RESULTS, nativeScramble, parseColumn, parseErr, parseGreeting, parseOk,
  parseTextRowAt,
} from "./mariadb-packets.js";
import type { MysqlParams } from "./mysql2-conn.js";

const MAX_PAYLOAD = 0xffffff;
const COM_QUERY = 0x03;
/** Bytes one socket read can take (as Node's own read buffer). */
const READ_BUFFER = 64 * 1024;
/** Column definitions remembered per connection (column-definition reuse, see MariaDbConn.column). */
const MAX_CACHED_COLUMNS = 64;

/** Receives one command's result sets as they are parsed. */
interface ResultHandler {
  /** A result set's column definitions (before its rows). */
  fields(fields: Field[]): void;
  row(row: Row): void;
  /** End of one result set (rows, or an OK packet when `ok` is given). */
  resultEnd(ok: Result | undefined, statusFlags: number): void;
  /** The command is over: after the last result set, or with its error. */
  done(err: SqlError | undefined): void;
  /** Called when MariaDB starts on this command (the commands before it in the pipeline are answered). */
  onStart?: (() => void) | undefined;
}

type Phase = "greeting" | "auth" | "idle" | "first" | "fields" | "fieldsEof" | "rows" | "closed";

/**
 * A lean MariaDB client connection (text protocol only) for the tablet's pools: rows are relayed as views into
 * the received packets (no per-value decoding or copying), framing is parsed in place. Commands may be pipelined:
 * query() while others are in flight queues the command (MariaDB answers them in order), and the commands sent in
 * one event-loop turn go out in one write. Supports multi-statement text, streaming with socket-level
 * backpressure (not pipelined), and mysql_native_password auth. Errors are SqlErrors with MariaDB's errno/SQLSTATE; a broken socket is 2013 UNAVAILABLE.
 */
export class MariaDbConn implements DbConn {
  #closed = false;
  threadId = 0;
  private phase: Phase = "greeting";
  private partial: Buffer | undefined;
  private pendingChunks: Buffer[] = [];
  private pendingBytes = 0;
  private pendingNeed = 0;
  private large: Buffer[] | undefined;
  private lastSeq = 0;
  /** Commands in flight, oldest (the one MariaDB is answering) first. */
  private readonly handlers: ResultHandler[] = [];
  /** Packets written this event-loop turn, sent as one buffer at the end of it (see output()). */
  private outParts: Buffer[] | undefined;
  private fieldCount = 0;
  private fieldList: Field[] = [];
  /** The last column definitions seen, by position: an identical packet reuses its (read-only) Field. */
  private readonly columns: { bytes: Buffer; field: Field }[] = [];
  private onAuth: ((err: SqlError | undefined) => void) | undefined;

  private constructor(private readonly sock: Socket, private readonly p: MysqlParams) {
    sock.on("error", (e) => this.fail(e));
    sock.on("close", () => this.fail(undefined));
  }

  /** Connects and authenticates; throws SqlError (2003, 1045, 1049, ...) on failure. */
  static connect(p: MysqlParams): Promise<MariaDbConn> {
    // Reads land in one buffer per connection and are copied out at their exact size (rows are views into the copy):
    // no 64 KiB allocation and no readable-stream machinery per read. pause()/resume() work as with 'data'.
    let conn: MariaDbConn | undefined;
    const onread = {
      buffer: Buffer.allocUnsafe(READ_BUFFER),
      callback: (n: number, buf: Uint8Array): boolean => {
        const chunk = Buffer.allocUnsafe(n);
        chunk.set(n === buf.length ? buf : buf.subarray(0, n));
        conn!.onData(chunk);
        return true; // false would pause the socket
      },
    };
    const sock = p.socketPath ? netConnect({ path: p.socketPath, onread })
      : netConnect({ host: p.host ?? "127.0.0.1", port: p.port ?? 3306, onread });
    sock.setNoDelay(true);
    const c = new MariaDbConn(sock, p);
    conn = c;
    return new Promise((resolve, reject) => {
      c.onAuth = (err) => {
        c.onAuth = undefined;
        if (err) { c.close(); reject(err); } else resolve(c);
      };
    });
  }

  get closed(): boolean { return this.#closed; }

  /** Commands sent and not fully answered yet. */
  get pending(): number { return this.handlers.length; }

  readonly pipelines = true;

  query(sql: string, start?: { onStart(): void }): Promise<Result[]> {
    const c = new Collector(start);
    this.send(sql, c);
    return c.promise;
  }

  async *stream(sql: string, chunkBytes: number): AsyncIterable<Result> {
    const s = new ChunkStream(chunkBytes, (pause) => (pause ? this.sock.pause() : this.sock.resume()));
    this.send(sql, s);
    try {
      yield* s.chunks();
    } finally {
      if (this.handlers.includes(s)) this.close(); // abandoned: cheaper to drop the connection than to drain a big result
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.phase = "closed";
    this.sock.destroy();
    this.failAll(new SqlError(2013, "HY000", "Lost connection to MySQL server: connection closed", "UNAVAILABLE"));
  }

  private send(sql: string, h: ResultHandler): void {
    if (this.#closed) {
      h.done(new SqlError(2013, "HY000", "Lost connection to MySQL server: connection is closed", "UNAVAILABLE"));
      return;
    }
    this.handlers.push(h);
    if (this.handlers.length === 1) {
      this.phase = "first";
      h.onStart?.();
    }
    const len = Buffer.byteLength(sql, "utf8") + 1;
    if (len < MAX_PAYLOAD) {
      const out = Buffer.allocUnsafe(4 + len);
      out[0] = len & 0xff; out[1] = (len >> 8) & 0xff; out[2] = len >> 16; out[3] = 0;
      out[4] = COM_QUERY;
      out.write(sql, 5, "utf8");
      this.output(out);
      return;
    }
    const payload = Buffer.allocUnsafe(len);
    payload[0] = COM_QUERY;
    payload.write(sql, 1, "utf8");
    this.writePacket(payload, 0);
  }

  /** Writes one logical packet, split into 16 MiB - 1 pieces as the protocol requires. */
  private writePacket(payload: Buffer, seq: number): void {
    let off = 0;
    for (;;) {
      const n = Math.min(MAX_PAYLOAD, payload.length - off);
      const head = Buffer.from([n & 0xff, (n >> 8) & 0xff, n >> 16, seq++ & 0xff]);
      this.output(Buffer.concat([head, payload.subarray(off, off + n)]));
      off += n;
      if (n < MAX_PAYLOAD) return;
    }
  }

  /** Queues bytes for the socket: everything written in one event-loop turn leaves in one write (one syscall). */
  private output(b: Buffer): void {
    if (this.outParts !== undefined) { this.outParts.push(b); return; }
    this.outParts = [b];
    process.nextTick(this.flushOut);
  }

  /** Writes what output() queued (made once per connection: no closure per turn). */
  private readonly flushOut = (): void => {
    const parts = this.outParts!;
    this.outParts = undefined;
    if (this.#closed) return;
    if (parts.length === 1) { this.sock.write(parts[0]!); return; }
    let total = 0;
    for (const p of parts) total += p.length;
    if (total <= 64 * 1024) { this.sock.write(Buffer.concat(parts, total)); return; }
    for (const p of parts) this.sock.write(p); // big packets: no extra copy
  };

  private onData(chunk: Buffer): void {
    let buf = chunk;
    if (this.partial !== undefined) {
      // Wait until the packet in progress is complete before copying (no quadratic re-concatenation of big packets).
      this.pendingChunks.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < this.pendingNeed) return;
      buf = Buffer.concat([this.partial, ...this.pendingChunks]);
      this.partial = undefined;
      this.pendingChunks = [];
    }
    let pos = 0;
    while (buf.length - pos >= 4) {
      const len = buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16);
      if (buf.length - pos - 4 < len) break;
      this.lastSeq = buf[pos + 3]!;
      const start = pos + 4;
      pos = start + len;
      if (this.phase === "rows" && this.large === undefined && len > 0 && len < MAX_PAYLOAD) {
        const first = buf[start];
        if (first !== 0xff && (first !== 0xfe || len >= 9)) { // a row (not EOF or ERR): parsed in place, no packet view
          this.handlers[0]!.row(parseTextRowAt(buf, start, this.fieldCount));
          continue;
        }
      }
      const payload = buf.subarray(start, pos);
      if (len === MAX_PAYLOAD) { (this.large ??= []).push(payload); continue; }
      if (this.large !== undefined) {
        this.large.push(payload);
        const whole = Buffer.concat(this.large);
        this.large = undefined;
        this.onPacket(whole);
      } else {
        this.onPacket(payload);
      }
      if (this.phase === "closed") return;
    }
    if (pos < buf.length) {
      this.partial = buf.subarray(pos);
      this.pendingBytes = this.partial.length;
      this.pendingNeed = this.pendingBytes >= 4 ? 4 + (buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16)) : 4;
    }
  }

  private onPacket(p: Buffer): void {
    switch (this.phase) {
      case "first": return this.onFirst(p);
      case "fields":
        this.fieldList.push(this.column(p));
        if (this.fieldList.length === this.fieldCount) this.phase = "fieldsEof";
        return;
      case "fieldsEof":
        this.phase = "rows";
        this.handlers[0]!.fields(this.fieldList);
        return;
      case "rows":
        if (p[0] === 0xfe && p.length < 9) {
          const status = eofStatus(p);
          this.handlers[0]!.resultEnd(undefined, status);
          if (status & MORE_RESULTS) this.phase = "first";
          else this.finish(undefined);
          return;
        }
        if (p[0] === 0xff) { this.finish(parseErr(p)); return; }
        this.handlers[0]!.row(parseTextRowAt(p, 0, this.fieldCount));
        return;
      case "greeting": return this.onGreeting(p);
      case "auth": return this.onAuthPacket(p);
      default:
        this.fail(new Error(`unexpected packet in phase ${this.phase}`));
    }
  }

  /**
   * A column definition packet as a Field. Repeated queries get identical packets, so the Field of the previous
   * identical packet at this position is reused (a byte compare instead of six string decodes).
   */
  private column(p: Buffer): Field {
    const i = this.fieldList.length;
    const known = this.columns[i];
    if (known !== undefined && known.bytes.equals(p)) return known.field;
    const field = parseColumn(p);
    if (i < MAX_CACHED_COLUMNS) this.columns[i] = { bytes: Buffer.from(p), field };
    return field;
  }

  private onFirst(p: Buffer): void {
    const b = p[0];
    if (b === 0x00) {
      const ok = parseOk(p);
      this.handlers[0]!.resultEnd(ok, ok.statusFlags ?? 0);
      if (!((ok.statusFlags ?? 0) & MORE_RESULTS)) this.finish(undefined);
      return;
    }
    if (b === 0xff) { this.finish(parseErr(p)); return; }
    if (b === 0xfb) {
      this.fail(new Error("LOAD DATA LOCAL INFILE is not supported"));
      return;
    }
    this.fieldCount = lenenc(p, 0)[0];
    this.fieldList = [];
    this.phase = "fields";
  }

  /** The oldest command is answered (or failed); the next one in the pipeline, if any, is now running. */
  private finish(err: SqlError | undefined): void {
    const h = this.handlers.shift();
    const next = this.handlers[0];
    if (this.phase !== "closed") this.phase = next !== undefined ? "first" : "idle";
    h?.done(err);
    next?.onStart?.();
  }

  /** The connection is gone: every command in flight fails with `err`. */
  private failAll(err: SqlError): void {
    const hs = this.handlers.splice(0);
    for (const h of hs) h.done(err);
  }

  private onGreeting(p: Buffer): void {
    let g;
    try {
      g = parseGreeting(p);
    } catch (e) {
      this.onAuth?.(SqlError.from(e));
      return;
    }
    this.threadId = g.threadId;
    const db = this.p.database;
    const caps = Cap.LONG_PASSWORD | Cap.LONG_FLAG | Cap.PROTOCOL_41 | Cap.TRANSACTIONS | Cap.SECURE_CONNECTION |
      Cap.MULTI_STATEMENTS | Cap.MULTI_RESULTS | Cap.PS_MULTI_RESULTS | Cap.PLUGIN_AUTH |
      (db !== undefined ? Cap.CONNECT_WITH_DB : 0) | (this.p.foundRows ? Cap.FOUND_ROWS : 0);
    const resp = handshakeResponse({
      capabilities: caps & (g.capabilities | Cap.FOUND_ROWS), user: this.p.user, auth: nativeScramble(this.p.password, g.scramble),
      ...(db !== undefined ? { database: db } : {}), plugin: "mysql_native_password",
    });
    this.phase = "auth";
    this.writePacket(resp, this.lastSeq + 1);
  }

  private onAuthPacket(p: Buffer): void {
    if (p[0] === 0x00) { this.phase = "idle"; this.onAuth?.(undefined); return; }
    if (p[0] === 0xff) { this.onAuth?.(parseErr(p)); return; }
    if (p[0] === 0xfe) { // AuthSwitchRequest
      const end = p.indexOf(0, 1);
      const plugin = p.toString("latin1", 1, end);
      if (plugin !== "mysql_native_password") {
        this.onAuth?.(new SqlError(1251, "08004", `auth plugin ${plugin} is not supported by the tablet's client`, "UNAVAILABLE"));
        return;
      }
      const data = p.subarray(end + 1, p[p.length - 1] === 0 ? p.length - 1 : p.length);
      this.writePacket(nativeScramble(this.p.password, Buffer.from(data)), this.lastSeq + 1);
      return;
    }
    this.onAuth?.(new SqlError(1251, "08004", `unexpected auth packet 0x${(p[0] ?? 0).toString(16)}`, "UNAVAILABLE"));
  }

  private fail(e: Error | undefined): void {
    const code = (e as { code?: string } | undefined)?.code;
    const err = code === "ECONNREFUSED" || code === "ENOENT"
      ? new SqlError(2003, "HY000", `Can't connect to MySQL server: ${e!.message}`, "UNAVAILABLE")
      : new SqlError(2013, "HY000", `Lost connection to MySQL server${e ? `: ${e.message}` : ""}`, "UNAVAILABLE");
    if (!this.#closed) {
      this.#closed = true;
      this.phase = "closed";
      this.sock.destroy();
    }
    this.onAuth?.(err);
    this.failAll(err);
  }
}

/** Collects one query's result sets (one object per query: no closures on the hot path). */
class Collector implements ResultHandler {
  readonly promise: Promise<Result[]>;
  private resolve!: (r: Result[]) => void;
  private reject!: (e: SqlError) => void;
  private readonly results: Result[] = [];
  private cur: Result | undefined;

  constructor(private readonly start: { onStart(): void } | undefined) {
    this.promise = new Promise<Result[]>((res, rej) => { this.resolve = res; this.reject = rej; });
  }

  onStart(): void { this.start?.onStart(); }

  fields(fields: Field[]): void { this.cur = { fields, rows: [], rowsAffected: 0n, insertId: 0n, info: "" }; }
  row(row: Row): void { this.cur!.rows.push(row); }
  resultEnd(ok: Result | undefined): void {
    if (ok) this.results.push(ok);
    else if (this.cur) this.results.push(this.cur);
    this.cur = undefined;
  }
  done(err: SqlError | undefined): void {
    if (err) this.reject(err);
    else this.resolve(this.results);
  }
}

/** Collects streamed rows into byte-bounded chunks; pauses the socket while a full chunk waits for the consumer. */
class ChunkStream implements ResultHandler {
  private fieldsSeen: Field[] | undefined;
  private rows: Row[] = [];
  private bytes = 0;
  private sets = 0;
  private error: SqlError | undefined;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly chunkBytes: number, private readonly pause: (pause: boolean) => void) {}

  fields(f: Field[]): void {
    if (this.sets++ === 0) { this.fieldsSeen = f; this.notify(); }
  }

  row(r: Row): void {
    if (this.sets !== 1) return; // only the first result set is streamed
    this.rows.push(r);
    for (let i = 0; i < r.length; i++) { const v = r[i]; this.bytes += v == null ? 1 : v.length + 1; }
    if (this.bytes >= this.chunkBytes) { this.pause(true); this.notify(); }
  }

  resultEnd(ok: Result | undefined): void {
    if (ok && this.sets++ === 0) { this.fieldsSeen = []; this.notify(); }
  }

  done(err: SqlError | undefined): void {
    this.error = err;
    this.ended = true;
    this.pause(false);
    this.notify();
  }

  private notify(): void { const w = this.wake; this.wake = undefined; w?.(); }
  private wait(): Promise<void> { return new Promise((r) => { this.wake = r; }); }

  async *chunks(): AsyncIterable<Result> {
    while (this.fieldsSeen === undefined && !this.ended) await this.wait();
    if (this.fieldsSeen === undefined && this.error) throw this.error;
    yield { fields: this.fieldsSeen ?? [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" };
    for (;;) {
      if (this.bytes >= this.chunkBytes || (this.ended && this.rows.length > 0)) {
        const rows = this.rows;
        this.rows = [];
        this.bytes = 0;
        yield { fields: [], rows, rowsAffected: 0n, insertId: 0n, info: "" };
        this.pause(false);
        continue;
      }
      if (this.ended) break;
      await this.wait();
    }
    if (this.error) throw this.error;
  }
}

/** A DbConnFactory over {@link MariaDbConn} (the per-call database overrides params.database). */
export function mariaDbConnFactory(p: MysqlParams): DbConnFactory {
  return async (opts) => MariaDbConn.connect({ ...p, ...(opts?.database !== undefined ? { database: opts.database } : {}) });
}
