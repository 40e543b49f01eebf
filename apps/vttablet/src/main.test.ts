import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMariaDb, type MariaDb } from "@vt/testkit/mariadb";
import { GrpcQueryService } from "@vt/tablet-client";

let db: MariaDb;
beforeAll(async () => { db = await startMariaDb(); });
afterAll(async () => { await db?.stop(); });

it("starts from flags, prints READY, serves, and exits 0 on SIGTERM", async () => {
  const main = fileURLToPath(new URL("./main.ts", import.meta.url));
  const proc = spawn(process.execPath, ["--import", "tsx", main, "--topo_implementation", "memory",
    "--tablet-path", "zone1-0000000100", "--init_keyspace", "commerce", "--init_shard", "0",
    "--init_tablet_type", "primary", "--grpc_port", "0", "--mysql_host", "127.0.0.1", "--mysql_port", String(db.port),
    "--db_user", "root", "--db_password", ""], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const addr = await new Promise<string>((resolve, reject) => {
      createInterface({ input: proc.stdout! }).on("line", (l) => { const m = /^READY vttablet (\S+)$/.exec(l); if (m) resolve(m[1]!); });
      proc.once("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    const qs = new GrpcQueryService(addr);
    const r = await qs.execute({ keyspace: "commerce", shard: "0", tabletType: 1 }, "select database()", {}, 0n);
    expect(new TextDecoder().decode(r.rows[0]![0]!)).toBe("commerce");
    qs.close();
    const code = await new Promise<number | null>((resolve) => { proc.once("exit", resolve); proc.kill("SIGTERM"); });
    expect(code).toBe(0);
  } finally {
    if (proc.exitCode === null) proc.kill("SIGKILL");
  }
});
