// In-process microbenchmark of vtgate's point-select path without sockets: VtgateHandler.comQuery → normalize →
// plan cache → route (hash vindex, resolver) → ScatterConn → a tablet stand-in that answers at once with a
// one-row result → the MySQL result packets. Prints CPU-µs per query (process.cpuUsage, so other load on the
// machine matters little). Dev tool: node --import tsx apps/vtgate/src/hot-path-micro.ts [--n=200000] [--conc=32]
// (profile with node --cpu-prof --import tsx ...). Not a test.
import { makeField, Type, type Result } from "@vt/sqltypes";
import { formatRun, numArg, runInProcess, standInExecutor } from "./testing/in-process-sessions.js";
import { twoShardSrvTopo } from "./testing/two-shard-srv-topo.js";
import type { TabletHealth } from "./tablet-health.js";

const enc = new TextEncoder();
const RESULT: Result = {
  fields: [Object.freeze(makeField("c", Type.CHAR, { table: "sbtest1", orgTable: "sbtest1", database: "sbtest", orgName: "c", columnLength: 480, charset: 45 }))],
  rows: [[enc.encode("83868641912-28773972837-60736120486-75162659906-27563526494-20381887404-41576422241-93426793964-56405065102-33518432330")]],
  rowsAffected: 0n, insertId: 0n, info: "",
};

async function main(): Promise<void> {
  const n = numArg("n", 200_000);
  const conc = numArg("conc", 32);
  const { srv, ts } = await twoShardSrvTopo();
  const conn = { execute: () => Promise.resolve(RESULT) };
  const tablet = (shard: string): TabletHealth => ({ alias: `zone1-${shard}`, conn, keyspace: "sbtest", shard, tabletType: 1, serving: true } as unknown as TabletHealth);
  const executor = standInExecutor(srv, new Map([["-80", tablet("-80")], ["80-", tablet("80-")]]));
  const r = await runInProcess(executor, { n, conc, db: "sbtest", query: (i, k) => `SELECT c FROM sbtest1 WHERE id=${1 + ((i * 7919 + k) % 10000)}` });
  process.stdout.write(formatRun("point select", r, n, conc));
  srv.close();
  await ts.close();
}

main().catch((e: unknown) => { process.stderr.write(`${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
