import { readFileSync } from "node:fs";

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU time (user + system) a process has used so far, in microseconds, from /proc/<pid>/stat fields 14 and 15.
 * Returns 0 when the process is gone.
 */
export function cpuMicros(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return 0;
  }
  // The command name (field 2) may contain spaces: parse from the last ')'.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return ((utime + stime) * 1e6) / USER_HZ;
}

/** Resident set size of a process in kB (VmRSS from /proc/<pid>/status); 0 when gone. */
export function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Snapshot of CPU-µs for named groups of pids; `delta` gives the CPU each group used since. */
export class CpuMeter {
  private readonly start: Map<string, number>;

  constructor(private readonly groups: ReadonlyMap<string, readonly number[]>) {
    this.start = this.read();
  }

  private read(): Map<string, number> {
    const m = new Map<string, number>();
    for (const [name, pids] of this.groups) m.set(name, pids.reduce((s, p) => s + cpuMicros(p), 0));
    return m;
  }

  /** CPU-µs used per group since construction. */
  delta(): Map<string, number> {
    const now = this.read();
    const out = new Map<string, number>();
    for (const [name, v] of now) out.set(name, v - (this.start.get(name) ?? 0));
    return out;
  }
}

/** Idle and total jiffies of all CPUs so far, from the first line of /proc/stat (idle + iowait count as idle). */
export function cpuJiffies(stat = readFileSync("/proc/stat", "utf8")): { idle: number; total: number } {
  const f = stat.slice(0, stat.indexOf("\n")).trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0);
  return { idle: (f[3] ?? 0) + (f[4] ?? 0), total };
}

/** Percent of machine CPU time left idle since construction (a run that leaves CPU idle is latency-bound). */
export class IdleMeter {
  private readonly start = cpuJiffies();

  percent(): number {
    const now = cpuJiffies();
    const total = now.total - this.start.total;
    return total > 0 ? (100 * (now.idle - this.start.idle)) / total : NaN;
  }
}
