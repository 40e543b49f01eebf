import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where sysbench connects. */
export interface SysbenchTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly db: string;
}

/** One sysbench run's figures. */
export interface SysbenchResult {
  readonly qps: number;
  readonly tps: number;
  readonly p95ms: number;
  readonly errors: number;
  readonly queries: number;
}

/** Common sysbench arguments: text protocol (no server-side prepared statements), explicit ids. */
export function sysbenchArgs(t: SysbenchTarget, o: { tables: number; tableSize: number }): string[] {
  return [
    "--db-driver=mysql", `--mysql-host=${t.host}`, `--mysql-port=${t.port}`, `--mysql-user=${t.user}`,
    "--mysql-password=", `--mysql-db=${t.db}`, `--tables=${o.tables}`, `--table-size=${o.tableSize}`,
    // ignores (and counts) deadlocks/lock waits (1213, 1020, 1205) and retries the transaction.
    "--db-ps-mode=disable", "--auto-inc=off", "--mysql-ignore-errors=1213,1205,1020",
  ];
}

/** Runs `sysbench <test> run`; throws with sysbench's output when it fails. */
export async function runSysbench(test: string, t: SysbenchTarget, o: { tables: number; tableSize: number; threads: number; time: number }): Promise<SysbenchResult> {
  const args = [test, ...sysbenchArgs(t, o), `--threads=${o.threads}`, `--time=${o.time}`, "--percentile=95", "--report-interval=0", "run"];
  let stdout: string;
  try {
    ({ stdout } = await run("sysbench", args, { timeout: (o.time + 60) * 1000, maxBuffer: 16 << 20 }));
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`sysbench ${test} (${o.threads} threads) failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  }
  return parseSysbench(stdout);
}

/** Reads QPS, TPS, p95 latency and error count from sysbench 1.0's report. */
export function parseSysbench(out: string): SysbenchResult {
  const num = (re: RegExp): number => {
    const m = re.exec(out);
    return m ? Number(m[1]) : NaN;
  };
  return {
    qps: num(/queries:\s+\d+\s+\(([\d.]+) per sec\.\)/),
    tps: num(/transactions:\s+\d+\s+\(([\d.]+) per sec\.\)/),
    p95ms: num(/95th percentile:\s+([\d.]+)/),
    errors: num(/ignored errors:\s+(\d+)/),
    queries: num(/queries:\s+(\d+)\s+\(/),
  };
}
