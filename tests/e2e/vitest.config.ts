import { defineProject } from "vitest/config";

// End-to-end tests start real clusters (etcd, MariaDB, tablets, vtctld, vtgate) through the launcher.
export default defineProject({
  test: { name: "e2e", include: ["src/**/*.test.ts"], testTimeout: 120000, hookTimeout: 300000, fileParallelism: false },
});
