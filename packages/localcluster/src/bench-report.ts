import type { MicroResult } from "./bench-micro.js";

/** One row of the bench table: one sysbench test at one thread count against one path. */
export interface BenchRow {
  readonly test: string;
  readonly threads: number;
  readonly path: "vtgate" | "direct";
  readonly qps: number;
  readonly p95ms: number;
  readonly errors: number;
  /** CPU-µs per query by process group (vtgate, vttablets, mariadbd). */
  readonly cpuPerQuery: Readonly<Record<string, number>>;
  /** Percent of the machine's CPU time left idle during the run (a run with idle CPU is latency-bound). */
  readonly idlePct?: number;
  /** vtgate QPS / direct QPS of the same test and threads (vtgate rows only). */
  readonly ratio?: number;
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : " ".repeat(n - s.length) + s);
const f0 = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? "-" : n.toFixed(0));
const f2 = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? "-" : n.toFixed(2));

/** The sysbench table as fixed-width text. */
export function formatTable(rows: readonly BenchRow[]): string {
  const head = ["test", "thr", "path", "QPS", "p95 ms", "err", "vtgate µs/q", "vttablet µs/q", "gate+tab µs/q", "mariadbd µs/q", "idle %", "ratio"];
  const widths = [18, 4, 7, 9, 8, 5, 12, 14, 14, 14, 7, 6];
  const lines = [head.map((h, i) => (i < 3 ? pad(h, widths[i]!) : lpad(h, widths[i]!))).join(" ")];
  for (const r of rows) {
    const c = r.cpuPerQuery;
    const gt = r.path === "vtgate" ? (c["vtgate"] ?? 0) + (c["vttablet"] ?? 0) : undefined;
    const cells = [
      r.test.replace(/^oltp_/, ""), String(r.threads), r.path, f0(r.qps), f2(r.p95ms), String(r.errors),
      r.path === "vtgate" ? f0(c["vtgate"]) : "-", r.path === "vtgate" ? f0(c["vttablet"]) : "-", f0(gt), f0(c["mariadbd"]), f0(r.idlePct),
      r.ratio === undefined ? "" : f2(r.ratio),
    ];
    lines.push(cells.map((s, i) => (i < 3 ? pad(s, widths[i]!) : lpad(s, widths[i]!))).join(" "));
  }
  return lines.join("\n");
}

/** Microbenchmark figures as text. */
export function formatMicro(title: string, rs: readonly MicroResult[]): string {
  return [title, ...rs.map((r) => `  ${pad(r.name, 56)} ${lpad(r.us.toFixed(2), 9)} µs${
    r.vs !== undefined ? ` | ${lpad(r.vs.toFixed(2), 9)} µs  (${(r.vs / r.us).toFixed(1)}x)` : ""}`)].join("\n");
}
