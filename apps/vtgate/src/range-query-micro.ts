// In-process microbenchmark of vtgate's oltp_read_only range queries without sockets: the four sysbench range
// statements (plain, SUM, ORDER BY c merge-sorted, DISTINCT ... ORDER BY c) through VtgateHandler.comQuery → plan →
// Route over both shards → tablet stand-ins answering at once with 50 sysbench-like rows each (sorted when the query
// orders) → Distinct/ScalarAggregate/merge-sort in vtgate → the MySQL result packets. Prints CPU-µs per query
// (process.cpuUsage, so other load on the machine matters little). Dev tool:
// node --import tsx apps/vtgate/src/range-query-micro.ts [--n=40000] [--conc=32] [--only=distinct|order|plain|sum].
// Not a test.
import { encodeColumnDefinition, encodeOk, PacketWriter, type MysqlConnection, type ResultSink } from "@vt/mysql-protocol";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { Executor } from "./executor.js";
import { VtgateHandler } from "./mysql-handler.js";
import { SrvKeyspaceResolver } from "./resolver.js";
import type { SrvTopo } from "./srv-topo.js";
import { sbtestSrvTopo } from "./testing/sbtest-srv-topo.js";
import type { TabletGateway } from "./tablet-gateway.js";
import type { TabletHealth } from "./tablet-health.js";

const C_FIELD = Object.freeze(makeField("c", Type.CHAR, { table: "sbtest1", orgTable: "sbtest1", database: "sbtest", orgName: "c", columnLength: 480, charset: 45 }));
const SUM_FIELD = Object.freeze(makeField("SUM(k)", Type.DECIMAL, { columnLength: 32, charset: 63 }));

/** sysbench's c: ten dash-separated groups of 11 random digits. */
function sysbenchC(seed: number): string {
  let s = "";
  let x = seed * 2654435761 >>> 0;
  for (let g = 0; g < 10; g++) {
    if (g > 0) s += "-";
    for (let d = 0; d < 11; d++) { x = (x * 1103515245 + 12345) >>> 0; s += String((x >>> 16) % 10); }
  }
  return s;
}

/** What each shard answers: 50 rows of c (as one Buffer, cells as views, like the tablet client), sorted for ORDER BY. */
function shardResults(shard: number): { plain: Result; sorted: Result; sum: Result } {
  const cs = Array.from({ length: 50 }, (_, i) => sysbenchC(shard * 1000 + i));
  const rowsOf = (list: string[]) => {
    const buf = Buffer.from(list.join(""), "latin1");
    return list.map((c, i) => [buf.subarray(i * c.length, (i + 1) * c.length)]);
  };
  const base = { rowsAffected: 0n, insertId: 0n, info: "" };
  return {
    plain: { ...base, fields: [C_FIELD], rows: rowsOf(cs) },
    sorted: { ...base, fields: [C_FIELD], rows: rowsOf([...cs].sort()) },
    sum: { ...base, fields: [SUM_FIELD], rows: [[Buffer.from(String(250_000 + shard))]] },
  };
}

let errors = 0;

/** A sink encoding the packets as the server's does (fields, rows, OK/EOF), taking and releasing the writer per response. */
function sink(w: PacketWriter): ResultSink {
  const done = Promise.resolve();
  const s: Pick<ResultSink, "closed" | "fields" | "rows" | "done" | "error"> = {
    closed: false,
    fields(fields) { w.begin().lenencInt(fields.length).end(); for (const f of fields) encodeColumnDefinition(w, f); },
    rows(rows) { w.textRows(rows); return done; },
    done(sum = {}) { encodeOk(w, { affectedRows: 0, lastInsertId: 0, statusFlags: 2, warnings: sum.warnings ?? 0, info: "" }, true); w.take(); w.release(); },
    error() { errors++; w.take(); w.release(); },
  };
  return s as ResultSink;
}

async function main(): Promise<void> {
  const arg = (k: string, d: number): number => Number(process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3) ?? d);
  const n = arg("n", 40_000);
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
  const conc = arg("conc", 32);
  const { srv, ts } = await sbtestSrvTopo();
  const tablet = (shard: string, k: number): TabletHealth => {
    const r = shardResults(k);
    const answer = (sql: string): Result => (/sum\(/i.test(sql) ? r.sum : /order by/i.test(sql) ? r.sorted : r.plain);
    // execute for merged routes; streamExecute for the plain scatter, which vtgate streams outside transactions.
    const conn = { execute: (_t: unknown, sql: string) => Promise.resolve(answer(sql)), streamExecute: async function* (_t: unknown, sql: string) { yield answer(sql); } };
    return { alias: `zone1-${shard}`, conn, keyspace: "sbtest", shard, tabletType: 1, serving: true } as unknown as TabletHealth;
  };
  const tablets = new Map([["-80", tablet("-80", 0)], ["80-", tablet("80-", 1)]]);
  const gateway = { pick: (_ks: string, shard: string) => tablets.get(shard)!, markUnhealthy: () => undefined } as unknown as TabletGateway;
  const executor = new Executor({ srv, gateway, resolver: new SrvKeyspaceResolver(srv), planCacheSize: 5000 });
  const handler = new VtgateHandler(executor, () => undefined);
  const conns = Array.from({ length: conc }, (_, i) => {
    const c = { id: i + 1, state: undefined, capabilities: 0, multiStatements: false, close: () => undefined } as unknown as MysqlConnection;
    handler.newConnection(c);
    handler.comInitDb(c, "sbtest");
    return { c, out: sink(new PacketWriter()) };
  });
  const all: Record<string, (a: number) => string> = {
    plain: (a) => `SELECT c FROM sbtest1 WHERE id BETWEEN ${a} AND ${a + 99}`,
    sum: (a) => `SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN ${a} AND ${a + 99}`,
    order: (a) => `SELECT c FROM sbtest1 WHERE id BETWEEN ${a} AND ${a + 99} ORDER BY c`,
    distinct: (a) => `SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN ${a} AND ${a + 99} ORDER BY c`,
  };
  const queries = only === undefined ? Object.values(all) : [all[only]!];
  const worker = async (k: number, count: number): Promise<void> => {
    const { c, out } = conns[k]!;
    for (let i = 0; i < count; i++) await handler.comQuery(c, queries[i % queries.length]!(1 + ((i * 7919 + k) % 9900)), out);
  };
  const round = async (total: number): Promise<void> => {
    await Promise.all(conns.map((_, k) => worker(k, Math.floor(total / conc))));
  };
  await round(Math.min(20_000, n));
  const t0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  await round(n);
  const cpu = process.cpuUsage(t0);
  const wall = Number(process.hrtime.bigint() - w0) / 1e3;
  process.stdout.write(`${only ?? "4 range queries"} in-process: ${((cpu.user + cpu.system) / n).toFixed(2)} CPU-µs/q (user ${(cpu.user / n).toFixed(2)}), wall ${(wall / n).toFixed(2)} µs/q, ${n} queries, ${conc} sessions${errors > 0 ? `, ${errors} ERRORS` : ""}\n`);
  srv.close();
  await ts.close();
}

main().catch((e: unknown) => { process.stderr.write(`${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
