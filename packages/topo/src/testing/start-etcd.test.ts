import { describe, expect, it } from "vitest";
import { startEtcd } from "./start-etcd.js";

describe("startEtcd", () => {
  it("starts, restarts and stops a real etcd", async () => {
    const etcd = await startEtcd();
    try {
      expect(etcd.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
      await etcd.restart();
      const res = await fetch(`http://${etcd.endpoint}/health`);
      expect(res.ok).toBe(true);
    } finally {
      await etcd.stop();
    }
  });
});
