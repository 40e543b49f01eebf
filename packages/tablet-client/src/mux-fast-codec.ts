import { fromBinary } from "@bufbuild/protobuf";
import { MuxRequestSchema, type MuxRequest } from "@vt/proto/query";
import type { BindVariable, Field, Result, Row } from "@vt/sqltypes";
import { In, Out, unzigzag, varintSize } from "./proto-wire.js";

// The hot Multiplex messages written and read straight from/to @vt/sqltypes values, without protobuf-es objects:
// Execute requests (vtgate writes, vttablet reads) and Execute/StreamExecute answers (vttablet writes, vtgate reads).
// The bytes are ordinary MuxRequest/MuxResponse protobuf (big sub-messages carry padded 5-byte lengths), so any
// protobuf reader accepts them; every other message takes protobuf-es.

/** The target of a hot-path call. */
export interface WireTarget {
  keyspace: string;
  shard: string;
  tabletType: number;
  cell?: string;
}

/** A decoded fast Execute request (no options other than client_found_rows, no caller ids or reserved id). */
export interface FastExecute {
  readonly kind: "execute";
  readonly id: bigint;
  readonly target: WireTarget | undefined;
  readonly sql: string;
  readonly bindVars: Record<string, BindVariable>;
  readonly transactionId: bigint;
  /** ExecuteOptions.client_found_rows: the client asked for CLIENT_FOUND_ROWS (rows matched, not changed). */
  readonly clientFoundRows: boolean;
}

/** A decoded fast BeginExecute request (no options other than client_found_rows, no caller ids or reserved id). */
export interface FastBeginExecute {
  readonly kind: "beginExecute";
  readonly id: bigint;
  readonly target: WireTarget | undefined;
  readonly sql: string;
  readonly bindVars: Record<string, BindVariable>;
  readonly preQueries: string[];
  /** ExecuteOptions.client_found_rows: the transaction runs on a CLIENT_FOUND_ROWS connection. */
  readonly clientFoundRows: boolean;
}

/** A decoded Commit or Rollback request (no caller ids). */
export interface FastTxEnd {
  readonly kind: "commit" | "rollback";
  readonly id: bigint;
  readonly target: WireTarget | undefined;
  readonly transactionId: bigint;
}

/** The requests the hand-written codec reads. */
export type FastRequest = FastExecute | FastBeginExecute | FastTxEnd;

/** MuxResponse oneof field numbers this codec writes. */
export const MUX_EXECUTE = 2;
export const MUX_BEGIN_EXECUTE = 3;
export const MUX_COMMIT = 4;
export const MUX_ROLLBACK = 5;
export const MUX_STREAM_EXECUTE = 6;
export const MUX_ERROR = 15;

function writeTarget(o: Out, t: WireTarget): void {
  const ta = o.begin(3);
  o.string(1, t.keyspace);
  o.string(2, t.shard);
  if (t.tabletType !== 0) { o.tag(3, 0); o.varint(t.tabletType); }
  if (t.cell) o.string(4, t.cell);
  o.end(ta);
}

/** Writes ExecuteOptions{client_found_rows: true} as field `field` (nothing when `foundRows` is false). */
function writeFoundRowsOptions(o: Out, field: number, foundRows: boolean): void {
  if (!foundRows) return;
  o.tag(field, 2);
  o.ensure(3);
  o.buf[o.pos++] = 2; // length
  o.buf[o.pos++] = 40; // client_found_rows = 5, varint
  o.buf[o.pos++] = 1;
}

function writeBoundQuery(o: Out, field: number, sql: string, bindVars: Readonly<Record<string, BindVariable>>): void {
  const q = o.beginWide(field);
  o.string(1, sql);
  for (const name in bindVars) {
    const bv = bindVars[name]!;
    const entry = o.begin(2);
    o.string(1, name);
    const v = o.begin(2);
    if (bv.type !== 0) { o.tag(1, 0); o.varint(bv.type); }
    o.bytes(2, bv.value);
    for (const x of bv.values) {
      const xv = o.begin(3);
      if (x.type !== 0) { o.tag(1, 0); o.varint(x.type); }
      o.bytes(2, x.value);
      o.end(xv);
    }
    o.end(v);
    o.end(entry);
  }
  o.endWide(q);
}

/**
 * Appends a MuxRequest{id, begin_execute: {target, query, options?, pre_queries}} to `o` (unframed); `foundRows`
 * sets options.client_found_rows.
 */
export function writeBeginExecuteRequest(o: Out, id: bigint, t: WireTarget, sql: string,
  bindVars: Readonly<Record<string, BindVariable>>, preQueries: readonly string[], foundRows = false): void {
  if (id !== 0n) { o.tag(1, 0); o.varint64(id); }
  const be = o.beginWide(MUX_BEGIN_EXECUTE);
  writeTarget(o, t);
  writeBoundQuery(o, 4, sql, bindVars);
  writeFoundRowsOptions(o, 5, foundRows);
  for (const pq of preQueries) { o.tag(7, 2); const n = Buffer.byteLength(pq, "utf8"); o.varint(n); o.ensure(n); o.pos += o.buf.write(pq, o.pos, "utf8"); }
  o.endWide(be);
}

/** Appends a MuxRequest{id, commit|rollback: {target, transaction_id}} to `o` (unframed). */
export function writeTxEndRequest(o: Out, id: bigint, field: typeof MUX_COMMIT | typeof MUX_ROLLBACK, t: WireTarget,
  transactionId: bigint): void {
  if (id !== 0n) { o.tag(1, 0); o.varint64(id); }
  const at = o.begin(field);
  writeTarget(o, t);
  if (transactionId !== 0n) { o.tag(4, 0); o.varint64(transactionId); }
  o.end(at);
}

/**
 * Appends a MuxRequest{id, execute: ExecuteRequest{target, query, transaction_id, options?}} to `o` (unframed);
 * `foundRows` sets options.client_found_rows.
 */
export function writeExecuteRequest(o: Out, id: bigint, t: WireTarget, sql: string,
  bindVars: Readonly<Record<string, BindVariable>>, transactionId: bigint, foundRows = false): void {
  if (id !== 0n) { o.tag(1, 0); o.varint64(id); }
  const ex = o.beginWide(MUX_EXECUTE);
  writeTarget(o, t);
  writeBoundQuery(o, 4, sql, bindVars);
  if (transactionId !== 0n) { o.tag(5, 0); o.varint64(transactionId); }
  writeFoundRowsOptions(o, 6, foundRows);
  o.endWide(ex);
}

function readTarget(i: In, end: number): WireTarget {
  const t: WireTarget = { keyspace: "", shard: "", tabletType: 0, cell: "" };
  while (i.pos < end) {
    const tag = i.varint();
    if (tag === 10) t.keyspace = i.string();
    else if (tag === 18) t.shard = i.string();
    else if (tag === 24) t.tabletType = i.varint();
    else if (tag === 34) t.cell = i.string();
    else i.skip(tag & 7);
  }
  return t;
}

const EMPTY = new Uint8Array(0);

function readBindVariable(i: In, end: number): BindVariable {
  const bv: BindVariable = { type: 0, value: EMPTY, values: [] };
  while (i.pos < end) {
    const tag = i.varint();
    if (tag === 8) bv.type = i.varint();
    else if (tag === 18) bv.value = i.bytes();
    else if (tag === 26) {
      const stop = i.varint() + i.pos;
      const x = { type: 0, value: EMPTY as Uint8Array };
      while (i.pos < stop) {
        const t2 = i.varint();
        if (t2 === 8) x.type = i.varint();
        else if (t2 === 18) x.value = i.bytes();
        else i.skip(t2 & 7);
      }
      bv.values.push(x);
    } else i.skip(tag & 7);
  }
  return bv;
}

function readBoundQuery(i: In, end: number, out: { sql: string; bindVars: Record<string, BindVariable> }): void {
  while (i.pos < end) {
    const tag = i.varint();
    if (tag === 10) out.sql = i.string();
    else if (tag === 18) {
      const stop = i.varint() + i.pos;
      let name = "";
      let bv: BindVariable = { type: 0, value: EMPTY, values: [] };
      while (i.pos < stop) {
        const t2 = i.varint();
        if (t2 === 10) name = i.string();
        else if (t2 === 18) { const n = i.varint(); bv = readBindVariable(i, i.pos + n); }
        else i.skip(t2 & 7);
      }
      out.bindVars[name] = bv;
    } else i.skip(tag & 7);
  }
}

/**
 * Reads ExecuteOptions (`i` just past its tag): true/false for options holding at most client_found_rows, undefined
 * when any other option is set (the request then takes the general path).
 */
function readFoundRowsOptions(i: In): boolean | undefined {
  const end = i.varint() + i.pos;
  let foundRows = false;
  while (i.pos < end) {
    if (i.varint() !== 40) return undefined;
    foundRows = i.varint() !== 0;
  }
  return foundRows;
}

/**
 * The last target read on one connection: the next request carrying the same bytes (the usual case: a client sends
 * one target per tablet) gets the same frozen object back without decoding its strings again.
 */
export class TargetCache {
  private bytes: Buffer | undefined = undefined;
  private target: WireTarget | undefined = undefined;

  /** The target encoded in `b[start..end)`. */
  read(i: In, end: number): WireTarget {
    const start = i.pos;
    const n = end - start;
    const known = this.bytes;
    if (known !== undefined && known.length === n) {
      const b = i.b;
      let k = 0;
      while (k < n && known[k] === b[start + k]) k++;
      if (k === n) { i.pos = end; return this.target!; }
    }
    const t = Object.freeze(readTarget(i, end));
    this.bytes = Buffer.from(i.b.subarray(start, end));
    this.target = t;
    return t;
  }
}

/**
 * Reads a MuxRequest frame: a plain Execute, BeginExecute, Commit or Rollback (no options but client_found_rows, no
 * caller ids or reserved id) comes back as a {@link FastRequest}; anything else as the protobuf-es MuxRequest.
 * With `targets` (one per connection), repeated targets come back as the same frozen object.
 */
export function readMuxRequest(b: Buffer, targets?: TargetCache): FastRequest | MuxRequest {
  const i = new In(b);
  let id = 0n;
  let field = 0;
  let target: WireTarget | undefined;
  const q = { sql: "", bindVars: {} as Record<string, BindVariable> };
  let transactionId = 0n;
  const preQueries: string[] = [];
  let clientFoundRows = false;
  while (i.pos < b.length) {
    const tag = i.varint();
    if (tag === 8) { id = i.varint64(); continue; }
    field = tag >>> 3;
    if ((tag & 7) !== 2 || field < MUX_EXECUTE || field > MUX_ROLLBACK) return fromBinary(MuxRequestSchema, b);
    const end = i.varint() + i.pos;
    while (i.pos < end) {
      const t2 = i.varint();
      if (t2 === 26) {
        const n = i.varint();
        target = targets !== undefined ? targets.read(i, i.pos + n) : readTarget(i, i.pos + n);
        continue;
      }
      if (field === MUX_EXECUTE || field === MUX_BEGIN_EXECUTE) {
        if (t2 === 34) { const n = i.varint(); readBoundQuery(i, i.pos + n, q); continue; }
        if (field === MUX_EXECUTE && t2 === 40) { transactionId = i.int64(); continue; }
        if (field === MUX_BEGIN_EXECUTE && t2 === 58) { preQueries.push(i.string()); continue; }
        if ((field === MUX_EXECUTE && t2 === 50) || (field === MUX_BEGIN_EXECUTE && t2 === 42)) {
          const fr = readFoundRowsOptions(i);
          if (fr === undefined) return fromBinary(MuxRequestSchema, b);
          clientFoundRows = fr;
          continue;
        }
      } else if (t2 === 32) { transactionId = i.int64(); continue; }
      return fromBinary(MuxRequestSchema, b); // options, caller ids, reserved id: the general path
    }
  }
  switch (field) {
    case MUX_EXECUTE: return { kind: "execute", id, target, sql: q.sql, bindVars: q.bindVars, transactionId, clientFoundRows };
    case MUX_BEGIN_EXECUTE:
      return { kind: "beginExecute", id, target, sql: q.sql, bindVars: q.bindVars, preQueries, clientFoundRows };
    case MUX_COMMIT: return { kind: "commit", id, target, transactionId };
    case MUX_ROLLBACK: return { kind: "rollback", id, target, transactionId };
    default: return fromBinary(MuxRequestSchema, b);
  }
}

/** True for the fast forms returned by {@link readMuxRequest}. */
export const isFastRequest = (r: FastRequest | MuxRequest): r is FastRequest => !("$typeName" in r);

const zigzagSize = (len: number): number => (len < 0 ? 1 : varintSize(len * 2));

function writeField(o: Out, f: Field, cache: WeakMap<Field, Uint8Array> | undefined): void {
  const known = cache?.get(f);
  if (known !== undefined) { o.raw(known); return; }
  const start = o.pos;
  const at = o.begin(1);
  o.string(1, f.name);
  if (f.type !== 0) { o.tag(2, 0); o.varint(f.type); }
  o.string(3, f.table);
  o.string(4, f.orgTable);
  o.string(5, f.database);
  o.string(6, f.orgName);
  if (f.columnLength !== 0) { o.tag(7, 0); o.varint(f.columnLength >>> 0); }
  if (f.charset !== 0) { o.tag(8, 0); o.varint(f.charset >>> 0); }
  if (f.decimals !== 0) { o.tag(9, 0); o.varint(f.decimals >>> 0); }
  if (f.flags !== 0) { o.tag(10, 0); o.varint(f.flags >>> 0); }
  o.string(11, f.columnType);
  o.end(at);
  cache?.set(f, Uint8Array.prototype.slice.call(o.buf, start, o.pos));
}

function writeRow(o: Out, row: Row): void {
  const n = row.length;
  let packed = 0;
  let total = 0;
  for (let c = 0; c < n; c++) {
    const v = row[c];
    if (v === null || v === undefined) packed += 1;
    else { packed += zigzagSize(v.length); total += v.length; }
  }
  let body = 0;
  if (n > 0) body += 1 + varintSize(packed) + packed;
  if (total > 0) body += 1 + varintSize(total) + total;
  o.tag(4, 2);
  o.varint(body);
  o.ensure(body);
  if (n > 0) {
    o.buf[o.pos++] = 10;
    o.varint(packed);
    for (let c = 0; c < n; c++) {
      const v = row[c];
      o.varint(v === null || v === undefined ? 1 : v.length * 2);
    }
  }
  if (total > 0) {
    o.buf[o.pos++] = 18;
    o.varint(total);
    const buf = o.buf;
    let p = o.pos;
    for (let c = 0; c < n; c++) {
      const v = row[c];
      if (v === null || v === undefined || v.length === 0) continue;
      if (v.length < 16) { for (let k = 0; k < v.length; k++) buf[p++] = v[k]!; }
      else { buf.set(v, p); p += v.length; }
    }
    o.pos = p;
  }
}

/** Writes a QueryResult's fields (field 1 .. 8) for `r`. */
function writeQueryResult(o: Out, r: Result, cache: WeakMap<Field, Uint8Array> | undefined): void {
  for (const f of r.fields) writeField(o, f, cache);
  if (r.rowsAffected !== 0n) { o.tag(2, 0); o.varint64(r.rowsAffected); }
  if (r.insertId !== 0n) { o.tag(3, 0); o.varint64(r.insertId); }
  for (const row of r.rows) writeRow(o, row);
  o.string(6, r.info);
}

/**
 * Appends a MuxResponse{id, <field>: {result}, last} (unframed); `field` is {@link MUX_EXECUTE} or
 * {@link MUX_STREAM_EXECUTE}; `r` undefined writes the holder without a result (a stream's final frame: no holder).
 * `fieldCache` keeps the encoding of Field objects seen before (the tablet's MariaDB connections reuse a column's
 * Field while its definition does not change), so repeated queries copy their column definitions as bytes.
 */
export function writeResultResponse(o: Out, id: bigint, field: number, r: Result | undefined, last: boolean,
  fieldCache?: WeakMap<Field, Uint8Array>): void {
  if (id !== 0n) { o.tag(1, 0); o.varint64(id); }
  if (r !== undefined) {
    const holder = o.beginWide(field);
    const qr = o.beginWide(1);
    writeQueryResult(o, r, fieldCache);
    o.endWide(qr);
    o.endWide(holder);
  }
  if (last) { o.ensure(3); o.buf[o.pos++] = 0x80; o.buf[o.pos++] = 0x01; o.buf[o.pos++] = 1; }
}

/**
 * Appends a MuxResponse{id, begin_execute: {error, result, transaction_id, tablet_alias}, last=true} (unframed);
 * `error` is an already serialized vtrpc.RPCError.
 */
export function writeBeginExecuteResponse(o: Out, id: bigint, transactionId: bigint, alias: { cell: string; uid: number },
  r: Result | undefined, error: Uint8Array | undefined, fieldCache?: WeakMap<Field, Uint8Array>): void {
  if (id !== 0n) { o.tag(1, 0); o.varint64(id); }
  const holder = o.beginWide(MUX_BEGIN_EXECUTE);
  if (error !== undefined) { o.tag(1, 2); o.varint(error.length); o.raw(error); }
  if (r !== undefined) {
    const qr = o.beginWide(2);
    writeQueryResult(o, r, fieldCache);
    o.endWide(qr);
  }
  if (transactionId !== 0n) { o.tag(3, 0); o.varint64(transactionId); }
  const a = o.begin(4);
  o.string(1, alias.cell);
  if (alias.uid !== 0) { o.tag(2, 0); o.varint(alias.uid); }
  o.end(a);
  o.endWide(holder);
  o.ensure(3); o.buf[o.pos++] = 0x80; o.buf[o.pos++] = 0x01; o.buf[o.pos++] = 1;
}

/** Appends a MuxResponse{id, <field>: {} (an empty answer such as CommitResponse), last=true} (unframed). */
export function writeEmptyResponse(o: Out, id: bigint, field: number): void {
  if (id !== 0n) { o.tag(1, 0); o.varint64(id); }
  o.tag(field, 2);
  o.ensure(4); o.buf[o.pos++] = 0; o.buf[o.pos++] = 0x80; o.buf[o.pos++] = 0x01; o.buf[o.pos++] = 1;
}

/** A BeginExecuteResponse read by {@link readBeginExecuteResponse}; `error` is the serialized vtrpc.RPCError. */
export interface WireBeginExecute {
  transactionId: bigint;
  tabletAlias?: { cell: string; uid: number };
  result?: Result;
  error?: Buffer;
}

/** Reads a BeginExecuteResponse body (`b[start..end)`). */
export function readBeginExecuteResponse(b: Buffer, start: number, end: number): WireBeginExecute {
  const i = new In(b, start, end);
  const out: WireBeginExecute = { transactionId: 0n };
  while (i.pos < end) {
    const tag = i.varint();
    if (tag === 10) out.error = i.bytes();
    else if (tag === 18) { const n = i.varint(); out.result = readQueryResult(i, i.pos + n, undefined); }
    else if (tag === 24) out.transactionId = i.int64();
    else if (tag === 34) {
      const stop = i.varint() + i.pos;
      const a = { cell: "", uid: 0 };
      while (i.pos < stop) {
        const t2 = i.varint();
        if (t2 === 10) a.cell = i.string();
        else if (t2 === 16) a.uid = i.varint();
        else i.skip(t2 & 7);
      }
      out.tabletAlias = a;
    } else i.skip(tag & 7);
  }
  return out;
}

/** The top-level parts of a MuxResponse frame: id, last, which oneof field is set and where its bytes are. */
export interface MuxFrameHead {
  id: bigint;
  last: boolean;
  /** Oneof field number (0: none). */
  field: number;
  start: number;
  end: number;
}

/** Reads a MuxResponse frame's top level without decoding the answer. */
export function readMuxHead(b: Buffer): MuxFrameHead {
  const i = new In(b);
  const h: MuxFrameHead = { id: 0n, last: false, field: 0, start: 0, end: 0 };
  while (i.pos < b.length) {
    const tag = i.varint();
    if (tag === 8) h.id = i.varint64();
    else if (tag === 128) h.last = i.varint() !== 0;
    else if ((tag & 7) === 2) {
      const n = i.varint();
      h.field = tag >>> 3;
      h.start = i.pos;
      h.end = i.pos + n;
      i.pos += n;
    } else i.skip(tag & 7);
  }
  return h;
}

/**
 * Decoded query.Field messages by their wire bytes, so the same columns arriving with every answer to a query are
 * decoded once and come back as the same (frozen) objects; consumers must treat Fields as immutable. Bounded: it
 * starts over when full.
 */
export class FieldCache {
  private readonly map = new Map<string, Field>();

  constructor(private readonly max = 1024) {}

  /** The Field encoded in `b[start..end)`. */
  get(b: Buffer, start: number, end: number): Field {
    const key = b.toString("latin1", start, end);
    let f = this.map.get(key);
    if (f === undefined) {
      f = Object.freeze(readField(new In(b, start, end), end));
      if (this.map.size >= this.max) this.map.clear();
      this.map.set(key, f);
    }
    return f;
  }
}

function readField(i: In, end: number): Field {
  return readFieldInto(i, end, {
    name: "", type: 0, table: "", orgTable: "", database: "", orgName: "", columnLength: 0, charset: 0, decimals: 0,
    flags: 0, columnType: "",
  });
}

/** Decodes a query.Field message body (up to `end`) into `f`, which starts with every field at its default. */
export function readFieldInto<F extends Field>(i: In, end: number, f: F): F {
  while (i.pos < end) {
    const tag = i.varint();
    switch (tag) {
      case 10: f.name = i.string(); break;
      case 16: f.type = i.varint(); break;
      case 26: f.table = i.string(); break;
      case 34: f.orgTable = i.string(); break;
      case 42: f.database = i.string(); break;
      case 50: f.orgName = i.string(); break;
      case 56: f.columnLength = i.varint(); break;
      case 64: f.charset = i.varint(); break;
      case 72: f.decimals = i.varint(); break;
      case 80: f.flags = i.varint(); break;
      case 90: f.columnType = i.string(); break;
      default: i.skip(tag & 7);
    }
  }
  return f;
}

function readRow(i: In, end: number): Row {
  // Lengths come before values on the wire (as every encoder writes them); values are views into the frame.
  const lengths: number[] = [];
  let values: Uint8Array = EMPTY;
  while (i.pos < end) {
    const tag = i.varint();
    if (tag === 10) {
      const stop = i.varint() + i.pos;
      while (i.pos < stop) lengths.push(unzigzag(i.varint()));
    } else if (tag === 8) lengths.push(unzigzag(i.varint()));
    else if (tag === 18) values = i.bytes();
    else i.skip(tag & 7);
  }
  const n = lengths.length;
  const row = new Array<Uint8Array | null>(n);
  let off = 0;
  for (let c = 0; c < n; c++) {
    const len = lengths[c]!;
    if (len < 0) row[c] = null;
    else { row[c] = values.subarray(off, off + len); off += len; }
  }
  return row;
}

function readQueryResult(i: In, stop: number, cache: FieldCache | undefined): Result {
  const r: Result = { fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" };
  while (i.pos < stop) {
    const t2 = i.varint();
    switch (t2) {
      case 10: {
        const n = i.varint();
        if (cache === undefined) r.fields.push(readField(i, i.pos + n));
        else { r.fields.push(cache.get(i.b, i.pos, i.pos + n)); i.pos += n; }
        break;
      }
      case 16: r.rowsAffected = i.varint64(); break;
      case 24: r.insertId = i.varint64(); break;
      case 34: { const n = i.varint(); r.rows.push(readRow(i, i.pos + n)); break; }
      case 50: r.info = i.string(); break;
      default: i.skip(t2 & 7);
    }
  }
  return r;
}

/**
 * Reads an ExecuteResponse/StreamExecuteResponse body (`b[start..end)`) as a Result; undefined when it has none.
 * With `fields`, its Field objects come from (and go into) that cache.
 */
export function readResultHolder(b: Buffer, start: number, end: number, fields?: FieldCache): Result | undefined {
  const i = new In(b, start, end);
  let r: Result | undefined;
  while (i.pos < end) {
    const tag = i.varint();
    if (tag !== 10) { i.skip(tag & 7); continue; }
    const n = i.varint();
    r = readQueryResult(i, i.pos + n, fields);
  }
  return r;
}
