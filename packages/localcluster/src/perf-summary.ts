// Where the whole machine's CPU goes during a bench run: `perf record -e cpu-clock -a -g` samples (kernel included),
// read back with `perf script -F comm,pid,tid,ip,sym`, grouped by process (vtgate, vttablet, mariadbd, sysbench, idle)
// and by kind of work. Node apps run with --perf-basic-prof so JIT frames carry `JS:` names.

/** One sample: the process it hit and its call chain, innermost frame first. */
export interface PerfSample {
  readonly comm: string;
  readonly pid: number;
  readonly frames: readonly string[];
}

/** Parses `perf script -F comm,pid,tid,ip,sym` output (a header line, then one indented `ip symbol` per frame). */
export function parsePerfScript(text: string): PerfSample[] {
  const out: PerfSample[] = [];
  let cur: { comm: string; pid: number; frames: string[] } | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      if (cur) out.push(cur);
      cur = undefined;
      continue;
    }
    if (line[0] !== "\t" && line[0] !== " ") {
      if (cur) out.push(cur);
      const m = /^(.*?)\s+(\d+)\/\d+\s*$/.exec(line);
      cur = { comm: m ? m[1]!.trim() : line.trim(), pid: m ? Number(m[2]) : -1, frames: [] };
      continue;
    }
    if (!cur) continue;
    const t = line.trim();
    const sp = t.indexOf(" ");
    cur.frames.push(sp < 0 ? t : t.slice(sp + 1));
  }
  if (cur) out.push(cur);
  return out;
}

/** Kinds of work a sample is sorted into. */
export const PERF_KINDS = [
  "net send", "net recv", "epoll", "other syscall", "sched/irq", "js", "promise/async", "ic", "builtins", "gc",
  "v8 runtime", "node/libuv", "malloc", "other",
] as const;
export type PerfKind = (typeof PERF_KINDS)[number];

const has = (frames: readonly string[], needles: readonly string[]): boolean =>
  frames.some((f) => needles.some((n) => f.includes(n)));

/** The kind of work of one sample, judged from its innermost frame and whether it sits under a syscall. */
export function perfKind(frames: readonly string[]): PerfKind {
  const leaf = frames[0] ?? "";
  if (has(frames, ["Scavenger", "MarkCompact", "ConcurrentMarking", "Sweeper", "Heap::CollectGarbage", "ArrayBufferSweeper"])) return "gc";
  if (has(frames, ["do_syscall_64", "entry_SYSCALL"])) {
    if (has(frames, ["tcp_sendmsg", "unix_stream_sendmsg", "sock_sendmsg"])) return "net send";
    if (has(frames, ["tcp_recvmsg", "unix_stream_recvmsg", "sock_recvmsg"])) return "net recv";
    if (has(frames, ["do_epoll_wait", "ep_poll"])) return "epoll";
    return "other syscall";
  }
  if (/^(_raw_spin_unlock_irqrestore|finish_task_switch|irqentry_exit|__schedule|pv_native_safe_halt|asm_)/.test(leaf)) return "sched/irq";
  if (leaf.startsWith("JS:")) return "js";
  if (/^Builtins_.*(Promise|Microtask|Generator|Await|AsyncFunction)/.test(leaf)) return "promise/async";
  if (/^Builtins_.*IC/.test(leaf)) return "ic";
  if (leaf.startsWith("Builtins_")) return "builtins";
  if (/malloc|free|unlink_chunk|_int_|operator new|operator delete/.test(leaf)) return "malloc";
  if (leaf.startsWith("v8::")) return "v8 runtime";
  if (leaf.startsWith("node::") || leaf.startsWith("uv_") || leaf.startsWith("uv__")) return "node/libuv";
  return "other";
}

/** Samples per process group and kind; `total` is every sample of the machine (both CPUs, idle included). */
export interface PerfSummary {
  readonly total: number;
  readonly groups: ReadonlyMap<string, ReadonlyMap<PerfKind, number>>;
}

/**
 * Groups samples by `groupOf(pid, comm)` (e.g. vtgate, vttablet, mariadbd); unnamed processes group by comm, and the
 * idle task (pid 0) is "idle".
 */
export function summarizePerf(samples: readonly PerfSample[], groupOf: (pid: number, comm: string) => string | undefined): PerfSummary {
  const groups = new Map<string, Map<PerfKind, number>>();
  for (const s of samples) {
    const g = s.pid === 0 ? "idle" : (groupOf(s.pid, s.comm) ?? s.comm);
    let m = groups.get(g);
    if (!m) groups.set(g, (m = new Map()));
    const k = s.pid === 0 ? "sched/irq" : perfKind(s.frames);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return { total: samples.length, groups };
}

/** The summary as text: one line per group (share of the machine), then its kinds as shares of the group. */
export function formatPerfSummary(title: string, s: PerfSummary): string {
  const lines = [title];
  const sum = (m: ReadonlyMap<PerfKind, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const sorted = [...s.groups].sort((a, b) => sum(b[1]) - sum(a[1]));
  for (const [g, m] of sorted) {
    const n = sum(m);
    if (n / s.total < 0.005) continue;
    const kinds = [...m].sort((a, b) => b[1] - a[1]).filter(([, v]) => v / n >= 0.02)
      .map(([k, v]) => `${k} ${((100 * v) / n).toFixed(0)}%`).join(", ");
    lines.push(`  ${g.padEnd(10)} ${((100 * n) / s.total).toFixed(1).padStart(5)}% of machine: ${kinds}`);
  }
  return lines.join("\n");
}
