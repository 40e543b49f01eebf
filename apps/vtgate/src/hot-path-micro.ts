// In-process microbenchmark of vtgate's point-select path without sockets: VtgateHandler.comQuery → normalize →
// plan cache → route (hash vindex, resolver) → ScatterConn → a tablet stand-in that answers at once with a
// one-row result → the MySQL result packets. Prints CPU-µs per query (process.cpuUsage, so other load on the
// machine matters little). Dev tool: node --import tsx apps/vtgate/src/hot-path-micro.ts [--n=200000] [--conc=32]
// (profile with node --cpu-prof --import tsx ...). Not a test.
import { encodeColumnDefinition, encodeOk, encodeTextRow, PacketWriter, type MysqlConnection, type ResultSink } from "@vt/mysql-protocol";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { Executor } from "./executor.js";
import { VtgateHandler } from "./mysql-handler.js";
import { SrvKeyspaceResolver } from "./resolver.js";
import type { SrvTopo } from "./srv-topo.js";
import { sbtestSrvTopo } from "./testing/sbtest-srv-topo.js";
import type { TabletGateway } from "./tablet-gateway.js";
import type { TabletHealth } from "./tablet-health.js";

const enc = new TextEncoder();
const RESULT: Result = {
  fields: [Object.freeze(makeField("c", Type.CHAR, { table: "sbtest1", orgTable: "sbtest1", database: "sbtest", orgName: "c", columnLength: 480, charset: 45 }))],
  rows: [[enc.encode("83868641912-28773972837-60736120486-75162659906-27563526494-20381887404-41576422241-93426793964-56405065102-33518432330")]],
  rowsAffected: 0n, insertId: 0n, info: "",
};

/** A sink encoding the packets as the server's does (fields, rows, OK/EOF), into one reused writer. */
function sink(w: PacketWriter): ResultSink {
  const done = Promise.resolve();
  const s: Pick<ResultSink, "closed" | "fields" | "rows" | "done" | "error"> = {
    closed: false,
    fields(fields) { w.begin().lenencInt(fields.length).end(); for (const f of fields) encodeColumnDefinition(w, f); },
    rows(rows) { for (const r of rows) encodeTextRow(w, r); return done; },
    done(sum = {}) { encodeOk(w, { affectedRows: 0, lastInsertId: 0, statusFlags: 2, warnings: sum.warnings ?? 0, info: "" }, true); w.take(); },
    error() { w.take(); },
  };
  return s as ResultSink;
}

async function main(): Promise<void> {
  const arg = (k: string, d: number): number => Number(process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3) ?? d);
  const n = arg("n", 200_000);
  const conc = arg("conc", 32);
  const { srv, ts } = await sbtestSrvTopo();
  const conn = { execute: () => Promise.resolve(RESULT) };
  const tablet = (shard: string): TabletHealth => ({ alias: `zone1-${shard}`, conn, keyspace: "sbtest", shard, tabletType: 1, serving: true } as unknown as TabletHealth);
  const tablets = new Map([["-80", tablet("-80")], ["80-", tablet("80-")]]);
  const gateway = { pick: (_ks: string, shard: string) => tablets.get(shard)!, markUnhealthy: () => undefined } as unknown as TabletGateway;
  const executor = new Executor({ srv, gateway, resolver: new SrvKeyspaceResolver(srv), planCacheSize: 5000 });
  const handler = new VtgateHandler(executor, () => undefined);
  const conns = Array.from({ length: conc }, (_, i) => {
    const c = { id: i + 1, state: undefined, capabilities: 0, multiStatements: false, close: () => undefined } as unknown as MysqlConnection;
    handler.newConnection(c);
    handler.comInitDb(c, "sbtest");
    return { c, out: sink(new PacketWriter()) };
  });
  const worker = async (k: number, count: number): Promise<void> => {
    const { c, out } = conns[k]!;
    for (let i = 0; i < count; i++) await handler.comQuery(c, `SELECT c FROM sbtest1 WHERE id=${1 + ((i * 7919 + k) % 10000)}`, out);
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
  process.stdout.write(`point select in-process: ${((cpu.user + cpu.system) / n).toFixed(2)} CPU-µs/q (user ${(cpu.user / n).toFixed(2)}), wall ${(wall / n).toFixed(2)} µs/q, ${n} queries, ${conc} sessions\n`);
  srv.close();
  await ts.close();
}

main().catch((e: unknown) => { process.stderr.write(`${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
