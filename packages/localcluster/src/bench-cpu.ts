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
