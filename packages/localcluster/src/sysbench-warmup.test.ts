import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./app-processes.js";

// scripts/sysbench-warmup/sysbench emulates sysbench 1.1's --warmup-time on 1.0.x. The "real" sysbench here is a stub
// that records its arguments, so the test sees what the shim runs.
describe("scripts/sysbench-warmup", () => {
  const dir = mkdtempSync(join(tmpdir(), "sb-warmup-"));
  const log = join(dir, "calls.log");
  writeFileSync(join(dir, "sysbench"), `#!/usr/bin/env bash\necho "$*" >> ${log}\necho "queries: 1 (1.00 per sec.)"\n`);
  chmodSync(join(dir, "sysbench"), 0o755);
  const shimDir = join(REPO_ROOT, "scripts", "sysbench-warmup");
  const run = (...args: string[]): string => execFileSync(join(shimDir, "sysbench"), args, {
    env: { ...process.env, PATH: `${shimDir}:${dir}:${process.env["PATH"] ?? ""}` }, encoding: "utf8",
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs a warmup of --warmup-time seconds, then the measured run without the flag, printing only the latter", () => {
    rmSync(log, { force: true });
    const out = run("oltp_point_select", "--threads=32", "--time=15", "--warmup-time=3", "run");
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([
      "oltp_point_select --threads=32 --time=3 run",
      "oltp_point_select --threads=32 --time=15 run",
    ]);
    expect(out.trim()).toBe("queries: 1 (1.00 per sec.)");
  });

  it("passes everything else through unchanged (prepare, no warmup)", () => {
    rmSync(log, { force: true });
    run("oltp_point_select", "--tables=4", "--warmup-time=3", "prepare");
    run("oltp_point_select", "--time=5", "run");
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([
      "oltp_point_select --tables=4 prepare",
      "oltp_point_select --time=5 run",
    ]);
  });
});
