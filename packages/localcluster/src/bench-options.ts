/** What `npm run bench` runs; every field has an env variable and a `--flag=value` form. */
export interface BenchOptions {
  /** Seconds per sysbench run (BENCH_TIME, --time). */
  readonly time: number;
  /** Thread counts (BENCH_THREADS, --threads=1,8,32). */
  readonly threads: readonly number[];
  /** sysbench lua tests (BENCH_TESTS, --tests=oltp_point_select,...). */
  readonly tests: readonly string[];
  /** Rows per table (BENCH_TABLE_SIZE, --table-size). */
  readonly tableSize: number;
  /** Number of sbtest tables (BENCH_TABLES, --tables). */
  readonly tables: number;
  /** Seconds of warmup before each measured run (BENCH_WARMUP, --warmup). */
  readonly warmup: number;
  /** Skip the sysbench part (BENCH_MICRO_ONLY=1, --micro-only). */
  readonly microOnly: boolean;
  /** Skip the microbenchmarks (BENCH_NO_MICRO=1, --no-micro). */
  readonly noMicro: boolean;
  /** Extra node args for vtgate/vttablets, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (BENCH_NODE_ARGS, --node-args). */
  readonly nodeArgs: string;
  /** Output directory for results (BENCH_OUT, --out; default <repo>/.bench). */
  readonly outDir: string;
  /** Keep the temp data dir after the run (BENCH_KEEP=1, --keep). */
  readonly keep: boolean;
  /**
   * Extra vttablet flags, space-separated (BENCH_TABLET_FLAGS, --tablet-flags). Default: a transaction pool as large
   * as the most threads plus 8 (each sysbench thread holds one transaction per shard; with fewer connections than
   * threads, threads holding one shard's connection queue for another's and the run measures pool waits).
   */
  readonly tabletFlags: readonly string[];
  /**
   * Record a system-wide `perf record -e cpu-clock -a -g` during each vtgate run and print where the machine's CPU went
   * per process and kind of work (BENCH_PERF=1, --perf; needs `perf`; adds --perf-basic-prof to the apps).
   */
  readonly perf: boolean;
  /**
   * Alternating vtgate/direct pairs per test and thread count (BENCH_REPEAT, --repeat; default 1). With more than one,
   * the report adds the median ratio: direct MariaDB's QPS swings by a third from run to run on a shared VM.
   */
  readonly repeat: number;
  /** Paths to run (BENCH_ONLY=vtgate or direct, --only; default both). With one path there is no ratio. */
  readonly paths: readonly ("vtgate" | "direct")[];
}

const DEFAULT_TESTS = ["oltp_point_select", "oltp_read_only", "oltp_read_write"];

/** Reads options from argv (`--name=value` or `--name value`) over env over defaults (a ~2-minute quick run). */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv, repoRoot: string): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) continue;
    const eq = a.indexOf("=");
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) flags.set(a.slice(2), argv[++i]!);
    else flags.set(a.slice(2), "1");
  }
  const get = (flag: string, envName: string): string | undefined => flags.get(flag) ?? env[envName];
  const num = (flag: string, envName: string, dflt: number): number => {
    const v = get(flag, envName);
    const n = v === undefined ? dflt : Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`bench: --${flag} (${envName}) must be a non-negative number, got ${v}`);
    return n;
  };
  const list = (flag: string, envName: string, dflt: readonly string[]): string[] => {
    const v = get(flag, envName);
    return v === undefined ? [...dflt] : v.split(",").map((s) => s.trim()).filter(Boolean);
  };
  const bool = (flag: string, envName: string): boolean => {
    const v = get(flag, envName);
    return v !== undefined && v !== "0" && v !== "false";
  };
  const threads = list("threads", "BENCH_THREADS", ["1", "8", "32"]).map(Number);
  const tabletFlags = get("tablet-flags", "BENCH_TABLET_FLAGS");
  return {
    time: num("time", "BENCH_TIME", 5),
    threads,
    tests: list("tests", "BENCH_TESTS", DEFAULT_TESTS),
    tableSize: num("table-size", "BENCH_TABLE_SIZE", 10000),
    tables: num("tables", "BENCH_TABLES", 1),
    warmup: num("warmup", "BENCH_WARMUP", 1),
    microOnly: bool("micro-only", "BENCH_MICRO_ONLY"),
    noMicro: bool("no-micro", "BENCH_NO_MICRO"),
    nodeArgs: [get("node-args", "BENCH_NODE_ARGS") ?? "", bool("perf", "BENCH_PERF") ? "--perf-basic-prof" : ""].filter(Boolean).join(" "),
    outDir: get("out", "BENCH_OUT") ?? `${repoRoot}.bench`,
    keep: bool("keep", "BENCH_KEEP"),
    tabletFlags: tabletFlags !== undefined ? tabletFlags.split(" ").filter(Boolean)
      : [`--queryserver-config-transaction-cap=${Math.max(20, Math.max(...threads) + 8)}`],
    perf: bool("perf", "BENCH_PERF"),
    repeat: Math.max(1, Math.floor(num("repeat", "BENCH_REPEAT", 1))),
    paths: pathsOf(get("only", "BENCH_ONLY")),
  };
}

function pathsOf(only: string | undefined): ("vtgate" | "direct")[] {
  if (only === undefined || only === "") return ["vtgate", "direct"];
  if (only === "vtgate" || only === "direct") return [only];
  throw new Error(`bench: --only (BENCH_ONLY) must be vtgate or direct, got ${only}`);
}
