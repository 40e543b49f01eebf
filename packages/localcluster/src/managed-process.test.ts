import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive, killProcess, ProcessStartError, startProcess, stopProcess, type ProcessRecord } from "./managed-process.js";

const dir = mkdtempSync(join(tmpdir(), "vt-lc-proc-"));
const started: ProcessRecord[] = [];
afterAll(async () => {
  for (const r of started) await killProcess(r);
  rmSync(dir, { recursive: true, force: true });
});

const nodeScript = (name: string, script: string) => ({
  name, command: process.execPath, args: ["-e", script, `marker-${name}`], logFile: join(dir, `${name}.log`),
  ready: { kind: "line" as const, pattern: /^READY test\b/m },
});

describe("managed process", () => {
  it("waits for the READY line, then SIGTERM stops it", async () => {
    const r = await startProcess(nodeScript("ok", "setTimeout(() => console.log('READY test 1'), 100); setInterval(() => {}, 1000)"), 10_000);
    started.push(r);
    expect(isAlive(r)).toBe(true);
    await stopProcess(r, 5000);
    expect(isAlive(r)).toBe(false);
  });

  it("SIGKILLs a process that ignores SIGTERM after the timeout", async () => {
    const r = await startProcess(nodeScript("stubborn", "process.on('SIGTERM', () => {}); console.log('READY test'); setInterval(() => {}, 1000)"), 10_000);
    started.push(r);
    const t0 = Date.now();
    await stopProcess(r, 300);
    expect(isAlive(r)).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
  });

  it("reports an early exit with the log tail", async () => {
    const err = await startProcess(nodeScript("dies", "console.error('boom: bad flag'); process.exit(3)"), 10_000).catch((e) => e);
    expect(err).toBeInstanceOf(ProcessStartError);
    expect(String(err.message)).toMatch(/dies exited \(3\)[\s\S]*boom: bad flag/);
  });

  it("adds the new lines of the process's own error log to a start error", async () => {
    const errLog = join(dir, "own-error.log");
    writeFileSync(errLog, "old line from an earlier run\n");
    const script = `require('fs').appendFileSync(${JSON.stringify(errLog)}, 'Bind on TCP/IP port: Address already in use\\n'); process.exit(1)`;
    const err = await startProcess({ ...nodeScript("own-log", script), errorLogFile: errLog }, 10_000).catch((e) => e);
    expect(err).toBeInstanceOf(ProcessStartError);
    expect(String(err.message)).toContain("Bind on TCP/IP port: Address already in use");
    expect(String(err.message)).not.toContain("old line from an earlier run");
  });

  it("times out and kills a process that never gets ready", async () => {
    const err = await startProcess(nodeScript("slow", "setInterval(() => {}, 1000)"), 300).catch((e) => e);
    expect(err).toBeInstanceOf(ProcessStartError);
    expect(String(err.message)).toMatch(/not ready after 300 ms/);
  });

  it("does not touch a pid that runs something else", () => {
    expect(isAlive({ name: "self", pid: process.pid, marker: "no-such-marker-xyz", logFile: "" })).toBe(false);
  });
});
