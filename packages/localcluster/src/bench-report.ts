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

/**
 * One line per test and thread count that ran more than one vtgate/direct pair: the median of the pairs' ratios and
 * of each path's QPS, with every ratio listed (the spread shows how much the direct figure moved).
 */
export function formatRepeats(rows: readonly BenchRow[]): string[] {
  const byKey = new Map<string, BenchRow[]>();
  for (const r of rows) {
    const k = `${r.test}\0${r.threads}`;
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const out: string[] = [];
  for (const rs of byKey.values()) {
    const gate = rs.filter((r) => r.path === "vtgate");
    const direct = rs.filter((r) => r.path === "direct");
    if (gate.length < 2 && direct.length < 2) continue;
    const ratios = gate.map((r) => r.ratio).filter((x): x is number => x !== undefined && Number.isFinite(x));
    const r0 = rs[0]!;
    out.push(`${r0.test.replace(/^oltp_/, "")} ${r0.threads} thr over ${Math.max(gate.length, direct.length)} pairs: median QPS vtgate ${
      f0(median(gate.map((r) => r.qps)))} direct ${f0(median(direct.map((r) => r.qps)))}${
      ratios.length > 0 ? `, median ratio ${f2(median(ratios))} (${ratios.map(f2).join(", ")})` : ""}`);
  }
  return out;
}

/** The median of the finite values (NaN when there are none). */
export function median(xs: readonly number[]): number {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Microbenchmark figures as text. */
export function formatMicro(title: string, rs: readonly MicroResult[]): string {
  return [title, ...rs.map((r) => `  ${pad(r.name, 64)} ${lpad(r.us.toFixed(2), 9)} µs${
    r.vs !== undefined ? ` | ${lpad(r.vs.toFixed(2), 9)} µs  (${(r.vs / r.us).toFixed(1)}x)` : ""}`)].join("\n");
}
