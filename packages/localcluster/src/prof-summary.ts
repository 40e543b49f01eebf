// Summarises a V8 .cpuprofile (node --cpu-prof) by self time per function, and per file with --by-file.
// Usage: node --import tsx packages/localcluster/src/prof-summary.ts <file.cpuprofile> [--top=40] [--by-file]
//        [--filter=<substring of function or url>] [--window=<from s>,<to s>] (seconds since the profile's start;
//        --timeline prints busy ms per second to choose one, e.g. the measured run without startup and prepare)
//        [--callers=<function name> [--depth=4]] (who calls it: self time by caller chain)
import { readFileSync } from "node:fs";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface ProfileLine {
  readonly key: string;
  readonly selfUs: number;
  readonly pct: number;
}

/** Self time of functions named `fn`, by the chain of up to `depth` callers above them. */
export function callersOf(p: CpuProfile, fn: string, depth = 4): ProfileLine[] {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n] as const));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const acc = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    if (byId.get(id)!.callFrame.functionName !== fn) continue;
    const chain: string[] = [];
    for (let at = parent.get(id); at !== undefined && chain.length < depth; at = parent.get(at)) {
      const cf = byId.get(at)!.callFrame;
      chain.push(`${cf.functionName || "(anon)"}@${cf.url.split("/").pop()}`);
    }
    const key = chain.join(" < ");
    acc.set(key, (acc.get(key) ?? 0) + us);
    total += us;
  }
  return [...acc].map(([key, selfUs]) => ({ key, selfUs, pct: (100 * selfUs) / (total || 1) })).sort((a, b) => b.selfUs - a.selfUs);
}

/** Busy (non-idle) ms per second of the profile. */
export function busyTimeline(p: CpuProfile): number[] {
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const d = p.timeDeltas[i] ?? 0;
    t += d;
    if (idle.has(p.samples[i]!)) continue;
    const s = Math.floor(t / 1e6);
    while (out.length <= s) out.push(0);
    out[s] = out[s]! + d / 1000;
  }
  return out;
}

/** Self time per function ("name file:line") or per file, largest first; `pct` is of busy (non-idle) sampled time. */
export function summariseProfile(p: CpuProfile, byFile: boolean, window?: readonly [number, number]): { totalUs: number; lines: ProfileLine[] } {
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) byId.set(n.id, n);
  const self = new Map<number, number>();
  let t = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (window !== undefined && (t < window[0] * 1e6 || t > window[1] * 1e6)) continue;
    const id = p.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const acc = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id)!.callFrame;
    const file = cf.url.replace(/^file:\/\//, "").replace(/^.*\/node_modules\/\.pnpm\/([^/]+)\/.*?([^/]+)$/, "$1:$2")
      .replace(/^.*\/(packages|apps)\//, "$1/");
    const key = byFile ? (file || `(${cf.functionName || "native"})`) : `${cf.functionName || "(anonymous)"} ${file}:${cf.lineNumber + 1}`;
    acc.set(key, (acc.get(key) ?? 0) + us);
    if (cf.functionName !== "(idle)") total += us;
  }
  const lines = [...acc].map(([key, selfUs]) => ({ key, selfUs, pct: (100 * selfUs) / (total || 1) }))
    .sort((a, b) => b.selfUs - a.selfUs);
  return { totalUs: total, lines };
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--"));
  if (file === undefined) {
    process.stderr.write("usage: prof-summary.ts <file.cpuprofile> [--top=40] [--by-file] [--filter=text]\n");
    process.exit(2);
  }
  const opt = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const top = Number(opt("top") ?? 40);
  const filter = opt("filter");
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const callers = opt("callers");
  if (callers !== undefined) {
    for (const l of callersOf(p, callers, Number(opt("depth") ?? 4)).slice(0, top)) {
      process.stdout.write(`${l.pct.toFixed(2).padStart(6)}%  ${(l.selfUs / 1000).toFixed(0).padStart(7)} ms  ${l.key}\n`);
    }
    return;
  }
  if (args.includes("--timeline")) {
    busyTimeline(p).forEach((ms, s) => process.stdout.write(`${String(s).padStart(4)} s  ${ms.toFixed(0).padStart(5)} ms busy\n`));
    return;
  }
  const w = opt("window")?.split(",").map(Number);
  const window = w !== undefined && w.length === 2 ? [w[0]!, w[1]!] as const : undefined;
  const { totalUs, lines } = summariseProfile(p, args.includes("--by-file"), window);
  const shown = filter === undefined ? lines : lines.filter((l) => l.key.includes(filter));
  process.stdout.write(`${file}: ${(totalUs / 1e6).toFixed(2)} s busy (percentages of busy time)\n`);
  for (const l of shown.slice(0, top)) process.stdout.write(`${l.pct.toFixed(2).padStart(6)}%  ${(l.selfUs / 1000).toFixed(0).padStart(7)} ms  ${l.key}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
