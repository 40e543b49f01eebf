import { fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  MuxRequestSchema, MuxResponseSchema, type ExecuteRequest, type Field, type MuxRequest, type MuxResponse, type QueryResult,
  type Row,
} from "@vt/proto/query";
import { readFieldInto } from "./mux-fast-codec.js";
import { In, Out, unzigzag } from "./proto-wire.js";

// Hand-written protobuf codec for the hot Multiplex frames (Execute requests, Execute/StreamExecute answers). The
// output is byte-for-byte what protobuf-es writes and the decoded objects have protobuf-es's message shape; every
// other frame goes through protobuf-es (reflection), which costs several µs per frame.

function isFastExecute(r: ExecuteRequest): boolean {
  return r.options === undefined && r.effectiveCallerId === undefined && r.immediateCallerId === undefined && r.reservedId === 0n;
}

/** Serializes a MuxRequest (protobuf wire format). */
export function encodeMuxRequest(m: MuxRequest): Buffer {
  const r = m.request;
  if (r.case !== "execute" || !isFastExecute(r.value)) {
    const u = toBinary(MuxRequestSchema, m);
    return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  }
  const e = r.value;
  const o = new Out();
  if (m.id !== 0n) { o.tag(1, 0); o.varint64(m.id); }
  o.message(2, () => {
    const t = e.target;
    if (t !== undefined) {
      o.message(3, () => {
        o.string(1, t.keyspace);
        o.string(2, t.shard);
        if (t.tabletType !== 0) { o.tag(3, 0); o.varint(t.tabletType); }
        o.string(4, t.cell);
      });
    }
    const q = e.query;
    if (q !== undefined) {
      o.message(4, () => {
        o.string(1, q.sql);
        for (const name of Object.keys(q.bindVariables)) {
          const bv = q.bindVariables[name]!;
          o.message(2, () => {
            o.string(1, name);
            o.message(2, () => {
              if (bv.type !== 0) { o.tag(1, 0); o.varint(bv.type); }
              o.bytes(2, bv.value);
              for (const v of bv.values) {
                o.message(3, () => {
                  if (v.type !== 0) { o.tag(1, 0); o.varint(v.type); }
                  o.bytes(2, v.value);
                });
              }
            });
          });
        }
      });
    }
    if (e.transactionId !== 0n) { o.tag(5, 0); o.varint64(e.transactionId); }
  });
  return o.take();
}

function decodeField(i: In, end: number): Field {
  return readFieldInto(i, end, {
    $typeName: "query.Field", name: "", type: 0, table: "", orgTable: "", database: "", orgName: "", columnLength: 0,
    charset: 0, decimals: 0, flags: 0, columnType: "",
  });
}

const EMPTY = new Uint8Array(0);

function decodeRow(i: In, end: number): Row {
  const row: Row = { $typeName: "query.Row", lengths: [], values: EMPTY };
  while (i.pos < end) {
    const tag = i.varint();
    if (tag === 10) { // packed lengths
      const stop = i.varint() + i.pos;
      while (i.pos < stop) row.lengths.push(unzigzag(i.varint()));
    } else if (tag === 8) {
      row.lengths.push(unzigzag(i.varint()));
    } else if (tag === 18) {
      row.values = i.bytes();
    } else {
      i.skip(tag & 7);
    }
  }
  return row;
}

function decodeQueryResult(i: In, end: number): QueryResult {
  const r: QueryResult = {
    $typeName: "query.QueryResult", fields: [], rowsAffected: 0n, insertId: 0n, rows: [], info: "",
    sessionStateChanges: "", insertIdChanged: false,
  };
  while (i.pos < end) {
    const tag = i.varint();
    switch (tag) {
      case 10: { const n = i.varint(); r.fields.push(decodeField(i, i.pos + n)); break; }
      case 16: r.rowsAffected = i.varint64(); break;
      case 24: r.insertId = i.varint64(); break;
      case 34: { const n = i.varint(); r.rows.push(decodeRow(i, i.pos + n)); break; }
      case 50: r.info = i.string(); break;
      case 58: r.sessionStateChanges = i.string(); break;
      case 64: r.insertIdChanged = i.varint() !== 0; break;
      default: i.skip(tag & 7);
    }
  }
  return r;
}

/** `{ result }` of ExecuteResponse / StreamExecuteResponse (both have only field 1 = QueryResult). */
function decodeResultHolder(i: In, end: number): QueryResult | undefined {
  let result: QueryResult | undefined;
  while (i.pos < end) {
    const tag = i.varint();
    if (tag === 10) { const n = i.varint(); result = decodeQueryResult(i, i.pos + n); } else i.skip(tag & 7);
  }
  return result;
}

/** Parses a MuxResponse (protobuf wire format); Execute and StreamExecute answers take the hand-written path. */
export function decodeMuxResponse(b: Buffer): MuxResponse {
  const i = new In(b);
  let id = 0n;
  let last = false;
  let response: MuxResponse["response"] = { case: undefined };
  while (i.pos < b.length) {
    const tag = i.varint();
    if (tag === 8) id = i.varint64();
    else if (tag === 128) last = i.varint() !== 0; // field 16, varint: tag 0x80 0x01
    else if (tag === 18 || tag === 50) {
      const n = i.varint();
      const result = decodeResultHolder(i, i.pos + n);
      response = tag === 18
        ? { case: "execute", value: { $typeName: "query.ExecuteResponse", ...(result ? { result } : {}) } }
        : { case: "streamExecute", value: { $typeName: "query.StreamExecuteResponse", ...(result ? { result } : {}) } };
    } else {
      return fromBinary(MuxResponseSchema, b);
    }
  }
  return { $typeName: "query.MuxResponse", id, response, last };
}
