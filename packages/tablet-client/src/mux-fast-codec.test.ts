import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { MuxRequestSchema, MuxResponseSchema } from "@vt/proto/query";
import { RPCErrorSchema } from "@vt/proto/vtrpc";
import { bindVariablesFromProto, bindVariablesToProto, resultFromProto, resultToProto, Type, type BindVariable, type Result } from "@vt/sqltypes";
import { FrameReader } from "./frame-reader.js";
import {
  FieldCache, MUX_BEGIN_EXECUTE, MUX_COMMIT, MUX_ROLLBACK, readBeginExecuteResponse, writeBeginExecuteRequest, writeBeginExecuteResponse,
  writeEmptyResponse, writeTxEndRequest,
  isFastRequest, MUX_EXECUTE, MUX_STREAM_EXECUTE, readMuxHead, readMuxRequest, TargetCache, readResultHolder, writeExecuteRequest,
  writeResultResponse,
} from "./mux-fast-codec.js";
import { Out } from "./proto-wire.js";

const enc = new TextEncoder();
/** Byte arrays as plain arrays, so Buffer views and Uint8Arrays compare equal. */
function norm(x: unknown): unknown {
  if (x instanceof Uint8Array) return { bytes: [...x] };
  if (Array.isArray(x)) return x.map(norm);
  if (x !== null && typeof x === "object") return Object.fromEntries(Object.entries(x).filter(([k]) => k !== "$typeName").map(([k, v]) => [k, norm(v)]));
  return x;
}
const fixBuf = (x: unknown): unknown => norm(x);

function result(rows: number, bigText = 0): Result {
  return {
    fields: [
      { name: "id", type: Type.INT64, table: "t", orgTable: "t", database: "ks", orgName: "id", columnLength: 20, charset: 63, decimals: 0, flags: 49667, columnType: "" },
      { name: "c".repeat(200), type: Type.VARCHAR, table: "t", orgTable: "t", database: "ks", orgName: "c", columnLength: 4294967295, charset: 45, decimals: 31, flags: 0, columnType: "varchar(120)" },
    ],
    rows: Array.from({ length: rows }, (_, i) => [enc.encode(String(i)), i % 3 === 0 ? null : i % 3 === 1 ? new Uint8Array(0) : enc.encode("é".repeat(bigText || i))]),
    rowsAffected: 18446744073709551615n, insertId: 1n << 60n, info: "Rows matched: 1",
  };
}

const bvs: Record<string, BindVariable> = {
  vtg1: { type: Type.INT64, value: enc.encode("42"), values: [] },
  vtg2: { type: Type.TUPLE, value: new Uint8Array(0), values: [{ type: Type.VARCHAR, value: enc.encode("é".repeat(100)) }, { type: Type.INT64, value: enc.encode("-1") }] },
  [`long${"x".repeat(300)}`]: { type: Type.NULL_TYPE, value: new Uint8Array(0), values: [] },
};

describe("mux fast codec", () => {
  it("writes Execute requests that protobuf-es reads, and reads them back", () => {
    for (const [id, txid, sql] of [[1n, 0n, "select 1"], [300n, 9007199254740993n, "select c from t where id = :vtg1" + " ".repeat(20000)], [(1n << 64n) - 1n, -5n, ""]] as const) {
      const o = new Out(16);
      writeExecuteRequest(o, id, { keyspace: "ks", shard: "-80", tabletType: 1 }, sql, bvs, txid);
      const b = o.take();
      const pb = fromBinary(MuxRequestSchema, b);
      expect(norm(pb)).toEqual(norm(create(MuxRequestSchema, {
        id, request: { case: "execute", value: { target: { keyspace: "ks", shard: "-80", tabletType: 1 }, query: { sql, bindVariables: bindVariablesToProto(bvs) }, transactionId: txid } },
      })));
      const fast = readMuxRequest(b);
      expect(isFastRequest(fast)).toBe(true);
      expect(fast).toMatchObject({ id, sql, transactionId: txid, target: { keyspace: "ks", shard: "-80", tabletType: 1 } });
      if (isFastRequest(fast) && fast.kind === "execute") expect(fixBuf(fast.bindVars)).toEqual(fixBuf(bindVariablesFromProto(bindVariablesToProto(bvs))));
    }
  });

  it("reads a repeated target once per TargetCache: the same frozen object while the bytes are the same", () => {
    const targets = new TargetCache();
    const read = (t: { keyspace: string; shard: string; tabletType: number }, id: bigint) => {
      const o = new Out(16);
      writeExecuteRequest(o, id, t, "select 1", {}, 0n);
      const r = readMuxRequest(o.take(), targets);
      if (!isFastRequest(r)) throw new Error("not fast");
      return r;
    };
    const a = read({ keyspace: "ks", shard: "-80", tabletType: 1 }, 1n);
    const b = read({ keyspace: "ks", shard: "-80", tabletType: 1 }, 2n);
    expect(b.id).toBe(2n);
    expect(b.target).toBe(a.target);
    expect(Object.isFrozen(a.target)).toBe(true);
    const c = read({ keyspace: "ks", shard: "80-", tabletType: 1 }, 3n);
    expect(c.target).toMatchObject({ keyspace: "ks", shard: "80-", tabletType: 1 });
    expect(read({ keyspace: "ks", shard: "80-", tabletType: 2 }, 4n).target).toMatchObject({ shard: "80-", tabletType: 2 });
  });

  it("writes BeginExecute/Commit/Rollback requests that protobuf-es reads, and reads them back", () => {
    const t = { keyspace: "ks", shard: "80-", tabletType: 1 };
    let o = new Out(8);
    writeBeginExecuteRequest(o, 9n, t, "insert into t values (:vtg1)", bvs, ["savepoint a", "savepoint é"]);
    const be = o.take();
    expect(norm(fromBinary(MuxRequestSchema, be))).toEqual(norm(create(MuxRequestSchema, {
      id: 9n, request: { case: "beginExecute", value: { target: t, query: { sql: "insert into t values (:vtg1)", bindVariables: bindVariablesToProto(bvs) }, preQueries: ["savepoint a", "savepoint é"] } },
    })));
    expect(readMuxRequest(be)).toMatchObject({ kind: "beginExecute", id: 9n, sql: "insert into t values (:vtg1)", preQueries: ["savepoint a", "savepoint é"], target: t });
    for (const [field, kind, c] of [[MUX_COMMIT, "commit", "commit"], [MUX_ROLLBACK, "rollback", "rollback"]] as const) {
      o = new Out(8);
      writeTxEndRequest(o, 10n, field, t, -3n);
      const b = o.take();
      expect(norm(fromBinary(MuxRequestSchema, b))).toEqual(norm(create(MuxRequestSchema, { id: 10n, request: { case: c, value: { target: t, transactionId: -3n } } })));
      expect(readMuxRequest(b)).toMatchObject({ kind, id: 10n, transactionId: -3n, target: t });
    }
  });

  it("carries ExecuteOptions.client_found_rows on the fast path; other options take protobuf-es", () => {
    const t = { keyspace: "ks", shard: "-80", tabletType: 1 };
    let o = new Out(8);
    writeExecuteRequest(o, 3n, t, "update t set a = 1", {}, 7n, true);
    let b = o.take();
    expect(fromBinary(MuxRequestSchema, b).request).toMatchObject({ case: "execute", value: { transactionId: 7n, options: { clientFoundRows: true } } });
    expect(readMuxRequest(b)).toMatchObject({ kind: "execute", id: 3n, transactionId: 7n, clientFoundRows: true });
    o = new Out(8);
    writeBeginExecuteRequest(o, 4n, t, "update t set a = 1", {}, ["savepoint x"], true);
    b = o.take();
    expect(fromBinary(MuxRequestSchema, b).request).toMatchObject({ case: "beginExecute", value: { preQueries: ["savepoint x"], options: { clientFoundRows: true } } });
    expect(readMuxRequest(b)).toMatchObject({ kind: "beginExecute", id: 4n, clientFoundRows: true });
    o = new Out(8);
    writeExecuteRequest(o, 5n, t, "select 1", {}, 0n);
    expect(readMuxRequest(o.take())).toMatchObject({ kind: "execute", clientFoundRows: false });
    // protobuf-es-written options: client_found_rows alone stays fast, anything more is decoded by protobuf-es
    const pb = (options: object) => Buffer.from(toBinary(MuxRequestSchema, create(MuxRequestSchema, {
      id: 6n, request: { case: "execute", value: { target: t, query: { sql: "select 1" }, options } },
    })));
    expect(readMuxRequest(pb({ clientFoundRows: true }))).toMatchObject({ kind: "execute", clientFoundRows: true });
    const general = readMuxRequest(pb({ clientFoundRows: true, workload: 2 }));
    expect(isFastRequest(general)).toBe(false);
    expect(general).toMatchObject({ request: { case: "execute", value: { options: { clientFoundRows: true, workload: 2 } } } });
  });

  it("writes BeginExecute and empty answers that protobuf-es reads, and reads BeginExecute back", () => {
    const err = toBinary(RPCErrorSchema, create(RPCErrorSchema, { code: 5, message: "no table", errno: 1146, sqlstate: "42S02" }));
    for (const [r, e] of [[result(4), undefined], [undefined, err]] as const) {
      const o = new Out(8);
      writeBeginExecuteResponse(o, 11n, 1n << 40n, { cell: "zone1", uid: 200 }, r, e);
      const b = o.take();
      const pb = fromBinary(MuxResponseSchema, b);
      expect(pb.last).toBe(true);
      expect(pb.response.case).toBe("beginExecute");
      const v = pb.response.value as { transactionId: bigint; tabletAlias?: unknown; error?: { errno: number }; result?: Parameters<typeof resultFromProto>[0] };
      expect(v.transactionId).toBe(1n << 40n);
      expect(norm(v.tabletAlias)).toEqual({ cell: "zone1", uid: 200 });
      if (e) expect(v.error?.errno).toBe(1146);
      if (r) expect(norm(resultFromProto(v.result!))).toEqual(norm(r));
      const h = readMuxHead(b);
      expect(h.field).toBe(MUX_BEGIN_EXECUTE);
      const w = readBeginExecuteResponse(b, h.start, h.end);
      expect(w.transactionId).toBe(1n << 40n);
      expect(w.tabletAlias).toEqual({ cell: "zone1", uid: 200 });
      if (r) expect(norm(w.result)).toEqual(norm(r));
      if (e) expect(Buffer.from(w.error!).equals(Buffer.from(e))).toBe(true);
    }
    const o = new Out(8);
    writeEmptyResponse(o, 12n, MUX_COMMIT);
    expect(fromBinary(MuxResponseSchema, o.take())).toMatchObject({ id: 12n, last: true, response: { case: "commit" } });
  });

  it("reads other requests (and Execute with options) through protobuf-es", () => {
    const withOpts = create(MuxRequestSchema, { id: 4n, request: { case: "execute", value: { query: { sql: "select 1" }, options: { workload: 2 } } } });
    const begin = create(MuxRequestSchema, { id: 3n, request: { case: "begin", value: { target: { keyspace: "ks" } } } });
    const commitWithCaller = create(MuxRequestSchema, { id: 4n, request: { case: "commit", value: { transactionId: 7n, effectiveCallerId: { principal: "me" } } } });
    for (const m of [withOpts, begin, commitWithCaller]) {
      const r = readMuxRequest(Buffer.from(toBinary(MuxRequestSchema, m)));
      expect(isFastRequest(r)).toBe(false);
      expect(norm(r)).toEqual(norm(m));
    }
  });

  it("writes Execute/StreamExecute answers that protobuf-es reads, and reads them back as Results", () => {
    for (const [field, r, last] of [[MUX_EXECUTE, result(3), true], [MUX_STREAM_EXECUTE, result(50, 300), false], [MUX_EXECUTE, result(0), true],
      [MUX_STREAM_EXECUTE, undefined, true]] as const) {
      const o = new Out(8);
      writeResultResponse(o, 77n, field, r, last);
      const b = o.take();
      const pb = fromBinary(MuxResponseSchema, b);
      expect(pb.id).toBe(77n);
      expect(pb.last).toBe(last);
      const h = readMuxHead(b);
      expect(h).toMatchObject({ id: 77n, last });
      if (r === undefined) { expect(pb.response.case).toBeUndefined(); continue; }
      const holder = pb.response.value as { result?: Parameters<typeof resultFromProto>[0] };
      expect(norm(resultFromProto(holder.result!))).toEqual(norm(resultFromProto(resultToProto(r))));
      expect(h.field).toBe(field);
      expect(norm(readResultHolder(b, h.start, h.end))).toEqual(norm(resultFromProto(resultToProto(r))));
    }
  });

  it("with a FieldCache, repeated columns decode to the same frozen Field objects, equal to a plain decode", () => {
    const cache = new FieldCache(4);
    const read = (r: Result): Result => {
      const o = new Out(8);
      writeResultResponse(o, 1n, MUX_EXECUTE, r, true);
      const b = o.take();
      const h = readMuxHead(b);
      const got = readResultHolder(b, h.start, h.end, cache)!;
      expect(norm(got)).toEqual(norm(readResultHolder(b, h.start, h.end)));
      return got;
    };
    const a = read(result(2));
    const b = read(result(5));
    expect(b.fields[0]).toBe(a.fields[0]);
    expect(b.fields[1]).toBe(a.fields[1]);
    expect(Object.isFrozen(a.fields[0])).toBe(true);
    const other = read({ ...result(1), fields: [{ ...result(0).fields[0]!, name: "other" }] });
    expect(other.fields[0]).not.toBe(a.fields[0]);
    expect(other.fields[0]!.name).toBe("other");
    for (let i = 0; i < 10; i++) read({ ...result(0), fields: [{ ...result(0).fields[0]!, name: `n${i}` }] }); // overflows: starts over
    expect(read(result(1)).fields[0]).toEqual(a.fields[0]);
  });

  it("reads results written by protobuf-es", () => {
    const m = create(MuxResponseSchema, { id: 5n, last: true, response: { case: "execute", value: { result: resultToProto(result(20, 70)) } } });
    const b = Buffer.from(toBinary(MuxResponseSchema, m));
    const h = readMuxHead(b);
    expect(norm(readResultHolder(b, h.start, h.end))).toEqual(norm(resultFromProto(resultToProto(result(20, 70)))));
  });

  it("splits length-prefixed frames across arbitrary chunk boundaries", () => {
    const frames = [Buffer.alloc(0), Buffer.from("a"), Buffer.alloc(70000, 7), Buffer.from("xyz")];
    const wire = Buffer.concat(frames.flatMap((f) => { const h = Buffer.alloc(4); h.writeUInt32BE(f.length); return [h, f]; }));
    for (const step of [1, 3, 4, 5, 1000, wire.length]) {
      const got: Buffer[] = [];
      const r = new FrameReader((f) => got.push(Buffer.from(f)));
      for (let i = 0; i < wire.length; i += step) r.push(wire.subarray(i, i + step));
      expect(got).toEqual(frames);
    }
    expect(() => new FrameReader(() => undefined, 10).push(Buffer.from([0, 0, 0, 11]))).toThrow(/exceeds/);
  });
});
