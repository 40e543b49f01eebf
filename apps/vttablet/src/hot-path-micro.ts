// Microbenchmark of vttablet's query path with real sockets and a real MariaDB: mux frames in (Execute,
// BeginExecute, Commit from an in-process client) → MuxSocketServer → TabletServer → pooled MariaDbConn → MariaDB →
// answers back. Prints CPU-µs per statement of this process (process.cpuUsage: MariaDB's CPU is not counted; the
// in-process client's is, and stays the same between A/B runs). Modes: point (autocommit point selects, pipelined)
// and tx (sysbench read_only-like: BeginExecute, 9 point selects, 4 range selects, Commit).
// Dev tool: node --import tsx apps/vttablet/src/hot-path-micro.ts [--n=100000] [--conc=16] [--mode=point|tx]
// (profile with node --cpu-prof --import tsx ...). Not a test.
import * as net from "node:net";
import { startMariaDb } from "@vt/testkit/mariadb";
import { Type, type BindVariable } from "@vt/sqltypes";
import {
  FrameReader, MUX_COMMIT, ProtoOut as Out, readBeginExecuteResponse, readMuxHead, writeBeginExecuteRequest, writeExecuteRequest,
  writeTxEndRequest,
} from "@vt/tablet-client";
import { ConnPool } from "./conn-pool.js";
import { mariaDbConnFactory } from "./mariadb-conn.js";
import { MuxSocketServer } from "./mux-socket-server.js";
import { QueryCalls } from "./query-service.js";
import { killStatement } from "./kill-statement.js";
import { TabletServer } from "./tablet-server.js";
import { TxPool } from "./tx-pool.js";

const arg = (name: string, dflt: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const N = Number(arg("n", "100000"));
const CONC = Number(arg("conc", "16"));
const MODE = arg("mode", "point");
const ROWS = 10000;
const enc = new TextEncoder();
const int = (n: number): BindVariable => ({ type: Type.INT64, value: enc.encode(String(n)), values: [] });
const TARGET = { keyspace: "ks", shard: "0", tabletType: 1 };
const POINT = "select c from sbtest1 where id = :vtg1";
const RANGES = [
  "select c from sbtest1 where id between :vtg1 and :vtg2",
  "select sum(k) from sbtest1 where id between :vtg1 and :vtg2",
  "select c from sbtest1 where id between :vtg1 and :vtg2 order by c asc",
  "select distinct c from sbtest1 where id between :vtg1 and :vtg2 order by c asc",
];

async function main(): Promise<void> {
  const db = await startMariaDb({ extraConfig: ["innodb_buffer_pool_size=64M"] });
  try {
    const p = { socketPath: db.socket, user: "root", password: "" };
    const admin = await mariaDbConnFactory(p)();
    const values = Array.from({ length: ROWS }, (_, i) => `(${i + 1}, ${i % 997}, '${String(i).padStart(11, "0")}-${"x".repeat(100)}', 'pad')`);
    await admin.query("create database ks; create table ks.sbtest1 (id int primary key, k int, c char(120), pad char(60), key k_1 (k))");
    await admin.query(`insert into ks.sbtest1 values ${values.join(",")}`);
    const factory = mariaDbConnFactory({ ...p, database: "ks" });
    const pool = (name: string, capacity: number, depth = 1) => new ConnPool({ name, capacity, waitTimeoutMs: 0, factory, pipelineDepth: depth });
    const ts = new TabletServer({
      state: { keyspace: "ks", shard: "0", tabletType: 1, serving: true, primaryTermStartTime: 0 },
      queryPool: pool("conn_pool", 16, 4), streamPool: pool("stream_conn_pool", 2),
      txPool: new TxPool({ pool: pool("transaction_pool", CONC + 4), timeoutMs: 30_000 }),
      maxResultSize: 10000, streamBufferSize: 32 * 1024, queryTimeoutMs: 30_000,
      killQuery: async (q) => { await killStatement(admin, q); },
    });
    const server = await MuxSocketServer.listen("127.0.0.1", 0, new QueryCalls(ts, { cell: "zone1", uid: 1 }), { cell: "zone1", uid: 1 });
    const sock = net.connect({ host: "127.0.0.1", port: server.port, noDelay: true });
    await new Promise<void>((r) => sock.once("connect", () => r()));

    // The client: CONC sessions, each running its script; requests of one turn go out in one write.
    let out: Out | undefined;
    const send = (write: (o: Out) => void): void => {
      if (out === undefined) {
        out = new Out(4096);
        setImmediate(() => { const o = out!; out = undefined; sock.write(o.take()); });
      }
      const at = out.beginFrame();
      write(out);
      out.endFrame(at);
    };
    let nextId = 1n;
    let statements = 0;
    const waiting = new Map<bigint, (frame: Buffer, start: number, end: number, field: number) => void>();
    const reader = new FrameReader((f) => {
      const h = readMuxHead(f);
      if (h.field === 15) throw new Error(`error answer: ${f.toString("latin1", h.start, h.end)}`);
      const w = waiting.get(h.id)!;
      waiting.delete(h.id);
      statements++;
      w(f, h.start, h.end, h.field);
    });
    sock.on("data", (c: Buffer) => reader.push(c));
    const call = (write: (o: Out, id: bigint) => void): Promise<{ f: Buffer; start: number; end: number; field: number }> => {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, (f, start, end, field) => resolve({ f, start, end, field }));
        send((o) => write(o, id));
      });
    };
    const rnd = (): number => 1 + Math.floor(Math.random() * (ROWS - 100));
    const pointOnce = () => call((o, id) => writeExecuteRequest(o, id, TARGET, POINT, { vtg1: int(rnd()) }, 0n));
    const txOnce = async (): Promise<void> => {
      const be = await call((o, id) => writeBeginExecuteRequest(o, id, TARGET, POINT, { vtg1: int(rnd()) }, []));
      const txId = readBeginExecuteResponse(be.f, be.start, be.end).transactionId;
      for (let i = 0; i < 9; i++) await call((o, id) => writeExecuteRequest(o, id, TARGET, POINT, { vtg1: int(rnd()) }, txId));
      for (const q of RANGES) {
        const a = rnd();
        await call((o, id) => writeExecuteRequest(o, id, TARGET, q, { vtg1: int(a), vtg2: int(a + 99) }, txId));
      }
      await call((o, id) => writeTxEndRequest(o, id, MUX_COMMIT, TARGET, txId));
    };
    const run = async (n: number): Promise<void> => {
      const until = statements + n;
      await Promise.all(Array.from({ length: CONC }, async () => {
        while (statements < until) await (MODE === "tx" ? txOnce() : pointOnce());
      }));
    };
    await run(Math.min(20000, N / 2)); // warm up
    const cpu0 = process.cpuUsage();
    const s0 = statements;
    const t0 = process.hrtime.bigint();
    await run(N);
    const cpu = process.cpuUsage(cpu0);
    const n = statements - s0;
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`${MODE} conc=${CONC}: ${n} statements, ${(n / wall).toFixed(0)}/s, CPU ${((cpu.user + cpu.system) / n).toFixed(2)} µs/statement` +
      ` (user ${(cpu.user / n).toFixed(2)}, sys ${(cpu.system / n).toFixed(2)})`);
    sock.destroy();
    await server.close();
    await ts.shutdown();
    admin.close();
  } finally {
    await db.stop();
  }
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
