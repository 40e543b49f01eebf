// The driver of vtgate's in-process microbenchmarks: client sessions on a VtgateHandler with no sockets, tablets
// replaced by stand-ins that answer at once, CPU-µs per query from process.cpuUsage (so other load on the machine
// matters little).
import { encodeColumnDefinition, encodeOk, PacketWriter, type MysqlConnection, type ResultSink } from "@vt/mysql-protocol";
import { Executor } from "../executor.js";
import { VtgateHandler } from "../mysql-handler.js";
import { SrvKeyspaceResolver } from "../resolver.js";
import type { SrvTopo } from "../srv-topo.js";
import type { TabletGateway } from "../tablet-gateway.js";
import type { TabletHealth } from "../tablet-health.js";

/** What a run measured, per query. */
export interface InProcessRun {
  readonly cpuUs: number;
  readonly userUs: number;
  readonly wallUs: number;
  /** Statements answered with an error (a benchmark that counts them is measuring the wrong path). */
  readonly errors: number;
}

/** `--name=value` numeric argument of the command line, or `dflt`. */
export const numArg = (name: string, dflt: number): number =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);

/** An Executor over `srv` whose gateway picks the stand-in tablet of each shard of `tablets`. */
export function standInExecutor(srv: SrvTopo, tablets: ReadonlyMap<string, TabletHealth>): Executor {
  const gateway = { pick: (_ks: string, shard: string) => tablets.get(shard)!, markUnhealthy: () => undefined } as unknown as TabletGateway;
  return new Executor({ srv, gateway, resolver: new SrvKeyspaceResolver(srv), planCacheSize: 5000 });
}

/**
 * Runs `n` statements (`query(i, session)`) over `conc` sessions in keyspace `db`, after a warm-up round of up to 20k,
 * and returns the measured round's cost per statement. Results are encoded as the server encodes them.
 */
export async function runInProcess(executor: Executor, o: {
  readonly n: number; readonly conc: number; readonly db: string; readonly query: (i: number, session: number) => string;
}): Promise<InProcessRun> {
  const handler = new VtgateHandler(executor, () => undefined);
  let errors = 0;
  const sink = (w: PacketWriter): ResultSink => {
    const done = Promise.resolve();
    const s: Pick<ResultSink, "closed" | "fields" | "rows" | "done" | "error"> = {
      closed: false,
      fields(fields) { w.begin().lenencInt(fields.length).end(); for (const f of fields) encodeColumnDefinition(w, f); },
      rows(rows) { w.textRows(rows); return done; },
      done(sum = {}) { encodeOk(w, { affectedRows: 0, lastInsertId: 0, statusFlags: 2, warnings: sum.warnings ?? 0, info: "" }, true); w.take(); w.release(); },
      error() { errors++; w.take(); w.release(); },
    };
    return s as ResultSink;
  };
  const conns = Array.from({ length: o.conc }, (_, i) => {
    const c = { id: i + 1, state: undefined, capabilities: 0, multiStatements: false, close: () => undefined } as unknown as MysqlConnection;
    handler.newConnection(c);
    handler.comInitDb(c, o.db);
    return { c, out: sink(new PacketWriter()) };
  });
  const round = (total: number): Promise<unknown> => Promise.all(conns.map(async ({ c, out }, k) => {
    for (let i = 0; i < Math.floor(total / o.conc); i++) await handler.comQuery(c, o.query(i, k), out);
  }));
  await round(Math.min(20_000, o.n));
  errors = 0;
  const t0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  await round(o.n);
  const cpu = process.cpuUsage(t0);
  const wall = Number(process.hrtime.bigint() - w0) / 1e3;
  return { cpuUs: (cpu.user + cpu.system) / o.n, userUs: cpu.user / o.n, wallUs: wall / o.n, errors };
}

/** One line of figures for a run. */
export const formatRun = (what: string, r: InProcessRun, n: number, conc: number): string =>
  `${what} in-process: ${r.cpuUs.toFixed(2)} CPU-µs/q (user ${r.userUs.toFixed(2)}), wall ${r.wallUs.toFixed(2)} µs/q, ` +
  `${n} queries, ${conc} sessions${r.errors > 0 ? `, ${r.errors} ERRORS` : ""}\n`;
