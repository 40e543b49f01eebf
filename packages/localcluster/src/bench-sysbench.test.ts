import { describe, expect, it } from "vitest";
import { codecMicro } from "./bench-micro.js";
import { parseBenchOptions } from "./bench-options.js";
import { formatRepeats, formatTable, median, type BenchRow } from "./bench-report.js";
import { parseSysbench, sysbenchArgs } from "./bench-sysbench.js";

const SAMPLE = `
SQL statistics:
    queries performed:
        read:                            241416
        write:                           0
        other:                           0
        total:                           241416
    transactions:                        241416 (48264.15 per sec.)
    queries:                             241416 (48264.15 per sec.)
    ignored errors:                      3      (0.60 per sec.)
    reconnects:                          0      (0.00 per sec.)

Latency (ms):
         min:                                    0.04
         avg:                                    0.66
         max:                                   21.13
         95th percentile:                        1.39
`;

describe("bench helpers", () => {
  it("parses sysbench 1.0 reports", () => {
    expect(parseSysbench(SAMPLE)).toEqual({ qps: 48264.15, tps: 48264.15, p95ms: 1.39, errors: 3, queries: 241416 });
  });

  it("uses the text protocol and explicit ids", () => {
    const a = sysbenchArgs({ host: "127.0.0.1", port: 1234, user: "u", db: "sbtest" }, { tables: 2, tableSize: 100 });
    expect(a).toEqual(expect.arrayContaining(["--db-ps-mode=disable", "--auto-inc=off", "--mysql-port=1234", "--tables=2"]));
  });

  it("reads options from flags over env over defaults", () => {
    const o = parseBenchOptions(["--time=3", "--threads", "1,4", "--micro-only"], { BENCH_TIME: "9", BENCH_TESTS: "oltp_point_select" }, "/r/");
    expect(o).toMatchObject({ time: 3, threads: [1, 4], tests: ["oltp_point_select"], microOnly: true, outDir: "/r/.bench" });
    expect(() => parseBenchOptions(["--time=x"], {}, "/r/")).toThrow(/--time/);
  });

  it("reads repeat and only, defaulting to one pair over both paths", () => {
    expect(parseBenchOptions([], {}, "/r/")).toMatchObject({ repeat: 1, paths: ["vtgate", "direct"] });
    expect(parseBenchOptions(["--repeat=3"], { BENCH_ONLY: "vtgate" }, "/r/")).toMatchObject({ repeat: 3, paths: ["vtgate"] });
    expect(() => parseBenchOptions([], { BENCH_ONLY: "gate" }, "/r/")).toThrow(/BENCH_ONLY.*gate/);
  });

  it("codec micro measures the hot-path frame against protobuf-es for 1 and 100 rows", () => {
    const names = codecMicro(1).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining([
      expect.stringMatching(/^mux frame encode, hot path \| protobuf-es \(1 row, \d+ B\)$/),
      expect.stringMatching(/^mux frame decode, hot path \| protobuf-es \(100 rows\)$/),
    ]));
    expect(codecMicro(1).every((m) => Number.isFinite(m.us) && (m.vs === undefined || Number.isFinite(m.vs)))).toBe(true);
  });

  it("summarises repeated pairs by their median ratio and QPS", () => {
    const row = (path: "vtgate" | "direct", qps: number, ratio?: number): BenchRow =>
      ({ test: "oltp_point_select", threads: 32, path, qps, p95ms: 1, errors: 0, cpuPerQuery: {}, ...(ratio !== undefined ? { ratio } : {}) });
    const lines = formatRepeats([
      row("vtgate", 17000, 17000 / 50000), row("direct", 50000),
      row("vtgate", 18000, 18000 / 72000), row("direct", 72000),
      row("vtgate", 17500, 17500 / 48000), row("direct", 48000),
      { ...row("vtgate", 6000), test: "oltp_read_only" }, { ...row("direct", 40000), test: "oltp_read_only" },
    ]);
    expect(lines).toEqual(["point_select 32 thr over 3 pairs: median QPS vtgate 17500 direct 50000, median ratio 0.34 (0.34, 0.25, 0.36)"]);
    expect(median([3, 1, 2, NaN])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("formats ratio and CPU split columns", () => {
    const t = formatTable([
      { test: "oltp_point_select", threads: 32, path: "vtgate", qps: 20000, p95ms: 2, errors: 0, cpuPerQuery: { vtgate: 40, vttablet: 45, mariadbd: 20 }, idlePct: 7.4, ratio: 0.42 },
      { test: "oltp_point_select", threads: 32, path: "direct", qps: 47619, p95ms: 1, errors: 0, cpuPerQuery: { mariadbd: 18 } },
    ]);
    expect(t.split("\n")[1]).toMatch(/point_select\s+32\s+vtgate\s+20000\s+2\.00\s+0\s+40\s+45\s+85\s+20\s+7\s+0\.42/);
    expect(t.split("\n")[0]).toMatch(/idle %\s+ratio$/);
    expect(t.split("\n")[2]).toMatch(/ 18\s+-\s*$/);
  });
});
