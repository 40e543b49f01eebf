import { readFileSync } from "node:fs";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { encodeColumnDefinition, encodeTextRow, PacketWriter } from "@vt/mysql-protocol";
import { MuxResponseSchema } from "@vt/proto/query";
import { plan } from "@vt/planner";
import { normalize, parse, parseFull, SYSBENCH_STATEMENTS } from "@vt/sqlparser";
import { FieldCache, MUX_EXECUTE, ProtoOut, readMuxHead, readResultHolder, writeResultResponse } from "@vt/tablet-client";
import { resultFromProto, resultToProto, Type, makeField, type Result } from "@vt/sqltypes";
import { buildVSchema, defaultVindexRegistry } from "@vt/vindexes";

/** One microbenchmark figure. */
export interface MicroResult {
  readonly name: string;
  /** CPU-microseconds per operation. */
  readonly us: number;
  /** The same operation the other way (a baseline), when the row compares two. */
  readonly vs?: number;
}

/** The VSchema of the bench keyspace: sbtest1..N sharded by hash on id. */
export function sbtestVSchema(tables: number): Record<string, unknown> {
  const t: Record<string, unknown> = {};
  for (let i = 1; i <= tables; i++) t[`sbtest${i}`] = { column_vindexes: [{ column: "id", name: "hash" }] };
  return { sharded: true, vindexes: { hash: { type: "hash" } }, tables: t };
}

/** The OLTP statements sysbench sends (oltp_read_write's set), with literals. */
export const OLTP_QUERIES: readonly string[] = SYSBENCH_STATEMENTS;

/**
 * CPU-µs per call of `fn` on the main thread (from /proc/self/task/<pid>/schedstat, nanosecond run time: the JIT's
 * background compiles and other load on the machine do not count; process.cpuUsage() where /proc is missing), over at
 * least `minMs` of wall time after a warm-up (up to 5000 calls or `minMs`).
 */
function timeIt(minMs: number, fn: () => void): number {
  // Warm up until the JIT has optimized the path (a few thousand calls), as a long-running vtgate has.
  const warm = process.hrtime.bigint();
  for (let i = 0; i < 5000 && Number(process.hrtime.bigint() - warm) < minMs * 1e6; i++) fn();
  let n = 0;
  const cpu0 = mainThreadCpuUs();
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) < minMs * 1e6) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
  }
  return (mainThreadCpuUs() - cpu0) / n;
}

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;

/** The main thread's CPU time so far in µs (schedstat), or the process's (cpuUsage) without /proc. */
export function mainThreadCpuUs(): number {
  try {
    return Number(readFileSync(SCHEDSTAT, "utf8").split(" ")[0]) / 1000;
  } catch {
    const u = process.cpuUsage();
    return u.user + u.system;
  }
}

/** Short labels of OLTP_QUERIES for the per-statement rows. */
const OLTP_LABELS = ["point select", "simple range", "sum range", "order range", "distinct range", "update index",
  "update non-index", "delete", "insert"];

/**
 * Planner microbenchmark: CPU-µs per statement for a cache miss (normalize + parse + plan) and a cache hit
 * (normalize + Map lookup, as vtgate's executor does), for the point select alone and for the whole OLTP set; then
 * per OLTP statement the miss with the fast parser (what vtgate runs) and with node-sql-parser only (parseFull, the
 * route before the fast parser), and the parse alone both ways.
 */
export function plannerMicro(minMs = 300): MicroResult[] {
  const vschema = buildVSchema({ keyspaces: { sbtest: sbtestVSchema(1) } }, defaultVindexRegistry());
  const opts = { keyspace: "sbtest", tabletType: "PRIMARY" };
  const missWith = (p: typeof parse) => (sql: string): unknown => {
    const n = normalize(sql);
    return plan(p(n.normalized), vschema, opts, n.normalized);
  };
  const miss = missWith(parse);
  const cache = new Map<string, unknown>();
  for (const q of OLTP_QUERIES) cache.set(`sbtest\u0000${normalize(q).normalized}`, miss(q));
  const hit = (sql: string): unknown => cache.get(`sbtest\u0000${normalize(sql).normalized}`);
  const point = OLTP_QUERIES[0]!;
  const all = (f: (s: string) => unknown) => () => { for (const q of OLTP_QUERIES) f(q); };
  timeIt(minMs, all(miss)); // warm-up over every statement shape, discarded
  const out: MicroResult[] = [
    { name: "plan point select, cache miss", us: timeIt(minMs, () => miss(point)) },
    { name: "plan point select, cache hit", us: timeIt(minMs, () => hit(point)) },
    { name: "parse only, point select", us: timeIt(minMs, () => parse("select c from sbtest1 where id = :vtg1")) },
    { name: "normalize only, point select", us: timeIt(minMs, () => normalize(point)) },
    { name: `plan OLTP set (${OLTP_QUERIES.length} stmts), miss, per stmt`, us: timeIt(minMs, all(miss)) / OLTP_QUERIES.length },
    { name: `plan OLTP set (${OLTP_QUERIES.length} stmts), hit, per stmt`, us: timeIt(minMs, all(hit)) / OLTP_QUERIES.length },
  ];
  const full = missWith(parseFull);
  OLTP_QUERIES.forEach((q, i) => {
    const normalized = normalize(q).normalized;
    const label = OLTP_LABELS[i] ?? `stmt ${i + 1}`;
    out.push(
      { name: `miss ${label}: fast parser | node-sql-parser`, us: timeIt(minMs / 3, () => miss(q)), vs: timeIt(minMs / 3, () => full(q)) },
      { name: `  parse only ${label}: fast | node-sql-parser`, us: timeIt(minMs / 3, () => parse(normalized)), vs: timeIt(minMs / 3, () => parseFull(normalized)) },
    );
  });
  return out;
}

/** A point-select sized result: one row with sysbench's 120-char `c`. */
export function pointResult(rows = 1): Result {
  const enc = new TextEncoder();
  const c = enc.encode("83868641912-28773972837-60736120486-75162659906-27563526494-20381887404-41576422241-93426793964-56405065102-33518432330");
  return {
    fields: [makeField("c", Type.CHAR, { table: "sbtest1", orgTable: "sbtest1", database: "sbtest", orgName: "c", columnLength: 480, charset: 45 })],
    rows: Array.from({ length: rows }, () => [c]),
    rowsAffected: 0n, insertId: 0n, info: "",
  };
}

/**
 * Codec microbenchmark: the vtgate↔vttablet Multiplex frame as the hot path codes it (the tablet's
 * writeResultResponse with its column-definition cache, vtgate's readMuxHead + readResultHolder with its Field
 * cache), the same frame through protobuf-es (create+toBinary, fromBinary: the general path), and the MySQL
 * text-protocol encoding vtgate does for the client.
 */
export function codecMicro(minMs = 300): MicroResult[] {
  const out: MicroResult[] = [];
  for (const rows of [1, 100]) {
    const r = pointResult(rows);
    const n = `${rows} row${rows > 1 ? "s" : ""}`;
    const o = new ProtoOut(1 << 16);
    const fieldBytes = new WeakMap();
    const fastEncode = (): Buffer => {
      o.pos = 0;
      writeResultResponse(o, 7n, MUX_EXECUTE, r, true, fieldBytes);
      return o.buf.subarray(0, o.pos);
    };
    const fast = Buffer.from(fastEncode());
    const fields = new FieldCache();
    const fastDecode = (): unknown => {
      const h = readMuxHead(fast);
      return readResultHolder(fast, h.start, h.end, fields);
    };
    const back = fastDecode() as Result | undefined;
    if (back?.rows.length !== rows || Buffer.compare(Buffer.from(back.rows[0]![0]!), Buffer.from(r.rows[0]![0]!)) !== 0) {
      throw new Error("codec micro: the hot-path frame did not decode back to its result");
    }
    const encode = () => toBinary(MuxResponseSchema, create(MuxResponseSchema, {
      id: 7n, last: true, response: { case: "execute", value: { result: resultToProto(r) } },
    }));
    const bytes = encode();
    out.push({ name: `mux frame encode, hot path | protobuf-es (${n}, ${bytes.length} B)`, us: timeIt(minMs, fastEncode), vs: timeIt(minMs, encode) });
    out.push({
      name: `mux frame decode, hot path | protobuf-es (${n})`,
      us: timeIt(minMs, fastDecode),
      vs: timeIt(minMs, () => {
        const m = fromBinary(MuxResponseSchema, bytes);
        if (m.response.case === "execute" && m.response.value.result) resultFromProto(m.response.value.result);
      }),
    });
    out.push({ name: `MySQL text resultset encode (${n})`, us: timeIt(minMs, () => mysqlEncode(r)) });
  }
  return out;
}

function mysqlEncode(r: Result): unknown {
  const w = new PacketWriter();
  for (const f of r.fields) encodeColumnDefinition(w, f);
  for (const row of r.rows) encodeTextRow(w, row);
  return w.take();
}
