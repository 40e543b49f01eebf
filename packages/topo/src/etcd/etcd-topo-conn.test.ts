import { afterAll, beforeAll } from "vitest";
import { runTopoConformance } from "../conformance/index.js";
import { startEtcd, type TestEtcd } from "../testing/index.js";
import { EtcdTopoConn } from "./etcd-topo-conn.js";

let etcd: TestEtcd | null = null;
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

runTopoConformance("etcd", {
  makeConn: async (root) => new EtcdTopoConn({ serverAddress: etcd!.endpoint, root }),
  restartBackend: () => etcd!.restart(),
});
