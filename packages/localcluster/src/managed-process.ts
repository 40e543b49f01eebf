import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";

/** How the launcher knows a process is serving: a stdout/stderr line, or a probe that resolves true. */
export type ReadyCheck =
  | { readonly kind: "line"; readonly pattern: RegExp }
  | { readonly kind: "probe"; readonly probe: () => Promise<boolean> };

/** What to run and how to tell it is up. Output (stdout+stderr) is appended to `logFile`. */
export interface ProcessSpec {
  /** Launcher-wide unique name (`etcd`, `vtctld`, `vttablet-zone1-0000000100`, ...). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  /** A log the process writes itself (MariaDB's log_error); its new lines join logFile's in start errors. */
  readonly errorLogFile?: string;
  readonly ready: ReadyCheck;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** A started process as recorded in cluster.json; `marker` must appear in /proc/<pid>/cmdline to kill it. */
export interface ProcessRecord {
  readonly name: string;
  readonly pid: number;
  readonly marker: string;
  readonly logFile: string;
}

/** Thrown when a process exits or times out before it is ready; the message carries its log's tail. */
export class ProcessStartError extends Error {
  override readonly name = "ProcessStartError";
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `spec` detached (its own process group, unref'd, so it outlives the launcher) with output in its
 * log file, and waits until it is ready. Throws ProcessStartError (after killing it) when it exits first or
 * `timeoutMs` passes.
 */
export async function startProcess(spec: ProcessSpec, timeoutMs = 60_000): Promise<ProcessRecord> {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const fd = openSync(spec.logFile, "a");
  const offset = statSync(spec.logFile).size;
  const errOffset = spec.errorLogFile !== undefined ? sizeOf(spec.errorLogFile) : 0;
  const tail = (): string => logTail(spec.logFile, offset) +
    (spec.errorLogFile !== undefined ? `\n${spec.errorLogFile}:\n${logTail(spec.errorLogFile, errOffset)}` : "");
  let exited: string | undefined;
  let child;
  try {
    child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd, env: spec.env ?? process.env, detached: true, stdio: ["ignore", fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  child.once("error", (e) => { exited = `failed to start: ${e.message}`; });
  child.once("exit", (code, sig) => { exited = `exited (${sig ?? code})`; });
  child.unref();
  const record: ProcessRecord = {
    name: spec.name, pid: child.pid ?? -1, marker: markerOf(spec), logFile: spec.logFile,
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) throw new ProcessStartError(`${spec.name} ${exited}\n${tail()}`);
    if (await isReady(spec, offset)) return record;
    if (Date.now() > deadline) {
      await stopProcess(record, 2000);
      throw new ProcessStartError(`${spec.name} not ready after ${timeoutMs} ms\n${tail()}`);
    }
    await sleep(50);
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function markerOf(spec: ProcessSpec): string {
  return spec.args.find((a) => a.endsWith("main.ts")) ?? spec.command.split("/").pop() ?? spec.command;
}

async function isReady(spec: ProcessSpec, offset: number): Promise<boolean> {
  if (spec.ready.kind === "probe") return spec.ready.probe().catch(() => false);
  return spec.ready.pattern.test(readFrom(spec.logFile, offset));
}

function readFrom(file: string, offset: number): string {
  try {
    return readFileSync(file).subarray(offset).toString("utf8");
  } catch {
    return "";
  }
}

/** The last lines a process wrote to its log since `offset`. */
export function logTail(file: string, offset = 0, lines = 20): string {
  return readFrom(file, offset).split("\n").slice(-lines).join("\n");
}

/** True while `record.pid` is alive and still runs the command it was started with. */
export function isAlive(record: ProcessRecord): boolean {
  if (record.pid <= 0) return false;
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, "utf8").replaceAll("\0", " ");
    const stat = readFileSync(`/proc/${record.pid}/stat`, "utf8");
    if (/\) Z /.test(stat)) return false;
    return cmdline.includes(record.marker);
  } catch {
    return false;
  }
}

function signal(record: ProcessRecord, sig: NodeJS.Signals): void {
  try {
    process.kill(-record.pid, sig);
  } catch {
    try {
      process.kill(record.pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Sends SIGTERM to the process (and its process group), waits up to `timeoutMs` for it to exit, then
 * SIGKILLs it. Does nothing if the pid is gone or now runs something else (pid reuse).
 */
export async function stopProcess(record: ProcessRecord, timeoutMs = 10_000): Promise<void> {
  if (!isAlive(record)) return;
  signal(record, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (isAlive(record)) {
    if (Date.now() > deadline) {
      signal(record, "SIGKILL");
      await sleep(100);
      if (Date.now() > deadline + 5000) return;
    } else {
      await sleep(50);
    }
  }
}

/** SIGKILLs a process (a crash, for failure tests) and waits until it is gone. */
export async function killProcess(record: ProcessRecord): Promise<void> {
  if (!isAlive(record)) return;
  signal(record, "SIGKILL");
  for (let i = 0; i < 100 && isAlive(record); i++) await sleep(50);
}
