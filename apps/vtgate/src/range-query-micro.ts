// In-process microbenchmark of vtgate's oltp_read_only range queries without sockets: the four sysbench range
// statements (plain, SUM, ORDER BY c merge-sorted, DISTINCT ... ORDER BY c) through VtgateHandler.comQuery → plan →
// Route over both shards → tablet stand-ins answering at once with 50 sysbench-like rows each (sorted when the query
// orders) → Distinct/ScalarAggregate/merge-sort in vtgate → the MySQL result packets. Prints CPU-µs per query
// (process.cpuUsage, so other load on the machine matters little). Dev tool:
// node --import tsx apps/vtgate/src/range-query-micro.ts [--n=40000] [--conc=32] [--only=distinct|order|plain|sum].
// Not a test.
import { makeField, Type, type Result } from "@vt/sqltypes";
import { formatRun, numArg, runInProcess, standInExecutor } from "./testing/in-process-sessions.js";
import { twoShardSrvTopo } from "./testing/two-shard-srv-topo.js";
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

async function main(): Promise<void> {
  const n = numArg("n", 40_000);
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
  const conc = numArg("conc", 32);
  const { srv, ts } = await twoShardSrvTopo();
  const tablet = (shard: string, k: number): TabletHealth => {
    const r = shardResults(k);
    const answer = (sql: string): Result => (/sum\(/i.test(sql) ? r.sum : /order by/i.test(sql) ? r.sorted : r.plain);
    // execute for merged routes; streamExecute for the plain scatter, which vtgate streams outside transactions.
    const conn = { execute: (_t: unknown, sql: string) => Promise.resolve(answer(sql)), streamExecute: async function* (_t: unknown, sql: string) { yield answer(sql); } };
    return { alias: `zone1-${shard}`, conn, keyspace: "sbtest", shard, tabletType: 1, serving: true } as unknown as TabletHealth;
  };
  const executor = standInExecutor(srv, new Map([["-80", tablet("-80", 0)], ["80-", tablet("80-", 1)]]));
  const all: Record<string, (a: number) => string> = {
    plain: (a) => `SELECT c FROM sbtest1 WHERE id BETWEEN ${a} AND ${a + 99}`,
    sum: (a) => `SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN ${a} AND ${a + 99}`,
    order: (a) => `SELECT c FROM sbtest1 WHERE id BETWEEN ${a} AND ${a + 99} ORDER BY c`,
    distinct: (a) => `SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN ${a} AND ${a + 99} ORDER BY c`,
  };
  const queries = only === undefined ? Object.values(all) : [all[only]!];
  const r = await runInProcess(executor, { n, conc, db: "sbtest", query: (i, k) => queries[i % queries.length]!(1 + ((i * 7919 + k) % 9900)) });
  process.stdout.write(formatRun(only ?? "4 range queries", r, n, conc));
  srv.close();
  await ts.close();
}

main().catch((e: unknown) => { process.stderr.write(`${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
