// Runs the vtctldclient CLI as an operator would (a child process from the repo root), for the e2e tests.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./cluster.js";

/** What one CLI run produced. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `vtctldclient --server <server> ...args` (the package's bin through node, as `npx vtctldclient` does) from the
 * repo root and resolves with its exit code and output; never rejects on a non-zero exit.
 */
export function vtctldclient(server: string, ...args: string[]): Promise<CliRun> {
  const bin = join(repoRoot, "apps/vtctldclient/bin/vtctldclient.js");
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, "--server", server, ...args], { cwd: repoRoot, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Like {@link vtctldclient} but throws (with stderr) unless the command exits 0; returns stdout. */
export async function ctl(server: string, ...args: string[]): Promise<string> {
  const r = await vtctldclient(server, ...args);
  if (r.code !== 0) throw new Error(`vtctldclient ${args.join(" ")} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}
