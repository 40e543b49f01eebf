import { describe, expect, it } from "vitest";
import { Query } from "@vt/proto/queryservice";
import type { SqlError } from "@vt/errors";
import { bindService, createClient, startServer } from "./index.js";

describe("RpcServer.close", () => {
  it("cancels long-lived streams after the grace period and resolves", async () => {
    let handlerSawAbort = false;
    const srv = await startServer("127.0.0.1", 0, [bindService(Query, {
      async streamHealth(_req, ctx) {
        ctx.send({ serving: true });
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => { handlerSawAbort = true; resolve(); }));
      },
    })], { reflection: false });
    expect(srv.port).toBeGreaterThan(0);
    const c = createClient(Query, `127.0.0.1:${srv.port}`);
    try {
      const it = c.streamHealth({})[Symbol.asyncIterator]();
      const first = await it.next();
      expect(first.value?.serving).toBe(true);
      const t0 = Date.now();
      await srv.close(150);
      expect(Date.now() - t0).toBeLessThan(1500);
      const err = await it.next().then(() => undefined, (e: unknown) => e);
      expect((err as SqlError | undefined)?.vtCode ?? "ended").not.toBe("OK");
      await new Promise((r) => setTimeout(r, 20));
      expect(handlerSawAbort).toBe(true);
    } finally {
      c.close();
    }
  });

  it("unary round trips are cheap enough for the hot path", async () => {
    const srv = await startServer("127.0.0.1", 0, [bindService(Query, {
      execute(req) { return { result: { info: req.query?.sql ?? "" } }; },
    })], { reflection: false });
    const c = createClient(Query, `127.0.0.1:${srv.port}`);
    try {
      await c.execute({ query: { sql: "warm" } });
      const n = 500;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: n }, (_, i) => c.execute({ query: { sql: `q${i}` } })));
      const ms = performance.now() - t0;
      console.log(`${n} concurrent unary calls in ${ms.toFixed(0)} ms`);
      expect(ms).toBeLessThan(10_000);
    } finally {
      c.close();
      await srv.close(100);
    }
  });
});
