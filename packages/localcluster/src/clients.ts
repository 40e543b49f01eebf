// `npm run clients [client-regex]`: runs the client matrix (../shared/clients/run.sh) against vtgate on a
// private cluster (the example spec, OS-assigned ports, a temp data dir), then stops it. Before the matrix it
// does what a Vitess user would: drops the example `users` table so the matrix can create its own, and adds
// `hash` vindexes for `users.user_id` and `sbtest1.id` through ApplyVSchema. Env: KEEP=1 leaves the cluster up
// (prints its ports) until Ctrl-C; CLIENTS_DIR overrides the matrix directory.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createConnection } from "mysql2/promise";
import { REPO_ROOT } from "./app-processes.js";
import { loadClusterSpec } from "./cluster-spec.js";
import { startCluster } from "./start-cluster.js";
import { grpcVtctldApi } from "./vtctld-grpc.js";

/** The VSchema the matrix needs on `commerce` (the example's plus sbtest1). */
export const CLIENTS_VSCHEMA = {
  sharded: true,
  vindexes: { hash: { type: "hash" } },
  tables: {
    users: { column_vindexes: [{ column: "user_id", name: "hash" }] },
    orders: { column_vindexes: [{ column: "user_id", name: "hash" }] },
    sbtest1: { column_vindexes: [{ column: "id", name: "hash" }] },
  },
};

async function main(): Promise<number> {
  const filter = process.argv[2] ?? "";
  const clientsDir = process.env["CLIENTS_DIR"] ?? resolve(REPO_ROOT, "../shared/clients");
  if (!existsSync(join(clientsDir, "run.sh"))) throw new Error(`no client matrix at ${clientsDir}`);
  const dir = mkdtempSync(join(tmpdir(), "vt-clients-"));
  const spec = loadClusterSpec(join(REPO_ROOT, "packages/localcluster/examples/local.json"), REPO_ROOT);
  console.log(`starting a cluster in ${dir}`);
  const cluster = await startCluster(spec, { dataDir: dir, ports: "auto", log: (l) => console.log(`  ${l}`) });
  try {
    const api = await grpcVtctldApi(cluster.ctldAddr);
    try {
      await api.applyVSchema("commerce", JSON.stringify(CLIENTS_VSCHEMA));
    } finally {
      api.close();
    }
    const c = await createConnection({ host: "127.0.0.1", port: cluster.gatePort, user: "user", database: "commerce" });
    await c.query("DROP TABLE IF EXISTS users");
    await c.query("DROP TABLE IF EXISTS sbtest1");
    await c.end();
    console.log(`vtgate on 127.0.0.1:${cluster.gatePort}`);
    const code = await new Promise<number>((ok) => {
      const p = spawn("bash", [join(clientsDir, "run.sh"), ...(filter ? [filter] : [])], {
        stdio: "inherit",
        env: {
          ...process.env, HOST: "127.0.0.1", PORT: String(cluster.gatePort), USER: "user", PASSWORD: "", DB: "commerce",
          // The matrix's own installer runs when its node_modules is missing (a fresh checkout of ../shared).
          SKIP_INSTALL: process.env["SKIP_INSTALL"] ?? (existsSync(join(clientsDir, "node_modules")) ? "1" : "0"), SYSBENCH_EXTRA: process.env["SYSBENCH_EXTRA"] ?? "--auto-inc=off",
        },
      });
      p.on("exit", (rc) => ok(rc ?? 1));
    });
    if (process.env["KEEP"] === "1") {
      console.log(`KEEP=1: cluster stays up (vtgate 127.0.0.1:${cluster.gatePort}); Ctrl-C stops it`);
      await new Promise<void>((ok) => process.once("SIGINT", () => ok()));
    }
    return code;
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
