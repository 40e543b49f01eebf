import { existsSync } from "node:fs";
import { afterAll, beforeAll, it } from "vitest";
import { runTopoConformance } from "../conformance/index.js";
import { startEtcd, type TestEtcd } from "../testing/index.js";
import { EtcdTopoConn } from "./etcd-topo-conn.js";

const haveEtcd = existsSync("/usr/bin/etcd");
let etcd: TestEtcd | null = null;
beforeAll(async () => {
  if (haveEtcd) etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

if (!haveEtcd) it.skip("etcd conformance (no /usr/bin/etcd)", () => {});
else {
  runTopoConformance("etcd", {
    makeConn: async (root) => new EtcdTopoConn({ serverAddress: etcd!.endpoint, root }),
    restartBackend: () => etcd!.restart(),
  });
}
