// Executor-level comment directives against an in-memory topo and a stand-in gateway: SKIP_QUERY_PLAN_CACHE keeps
// a statement's plan out of the cache (and the statement still answers); --no_scatter refuses scatter plans unless
// /*vt+ ALLOW_SCATTER */, with Vitess's message, while point queries pass.
import { describe, expect, it } from "vitest";
import { makeField, Type, type Result } from "@vt/sqltypes";
import { Executor } from "./executor.js";
import { SrvKeyspaceResolver } from "./resolver.js";
import { Session } from "./session.js";
import type { TabletGateway } from "./tablet-gateway.js";
import type { TabletHealth } from "./tablet-health.js";
import { twoShardSrvTopo } from "./testing/two-shard-srv-topo.js";

const RESULT: Result = { fields: [makeField("c", Type.VARCHAR)], rows: [[new TextEncoder().encode("x")]], rowsAffected: 0n, insertId: 0n, info: "" };

async function executor(noScatter: boolean): Promise<{ ex: Executor; calls: string[]; close: () => void }> {
  const { srv, ts } = await twoShardSrvTopo("ks", "t");
  const calls: string[] = [];
  const tablet = (shard: string): TabletHealth => ({
    alias: `zone1-${shard}`, keyspace: "ks", shard, tabletType: 1, serving: true,
    conn: { execute: (_t: unknown, sql: string) => { calls.push(`${shard}: ${sql}`); return Promise.resolve(RESULT); } },
  } as unknown as TabletHealth);
  const tablets = new Map([["-80", tablet("-80")], ["80-", tablet("80-")]]);
  const gateway = { pick: (_ks: string, shard: string) => tablets.get(shard)!, get: (a: string) => tablets.get(a.slice(6)), markUnhealthy: () => undefined } as unknown as TabletGateway;
  const ex = new Executor({ srv, gateway, resolver: new SrvKeyspaceResolver(srv), planCacheSize: 100, noScatter, streamScatter: false });
  return { ex, calls, close: () => { srv.close(); ts.close(); } };
}

describe("executor directives", () => {
  it("SKIP_QUERY_PLAN_CACHE: the statement answers but its plan is not cached", async () => {
    const { ex, calls, close } = await executor(false);
    try {
      const s = new Session("ks");
      const r = await ex.execute(s, "select /*vt+ SKIP_QUERY_PLAN_CACHE */ c from t where id = 1");
      expect(r.rows.length).toBe(1);
      expect(calls).toHaveLength(1);
      expect(ex.planCache.size).toBe(0);
      await ex.execute(s, "select c from t where id = 1");
      expect(ex.planCache.size).toBe(1);
    } finally {
      close();
    }
  });

  it("--no_scatter: scatter plans fail unless ALLOW_SCATTER; point queries run", async () => {
    const { ex, calls, close } = await executor(true);
    try {
      const s = new Session("ks");
      await expect(ex.execute(s, "select c from t")).rejects.toMatchObject({
        errno: 1105, message: "plan includes scatter, which is disallowed using the `no_scatter` command line argument",
      });
      expect(calls).toEqual([]);
      expect((await ex.execute(s, "select /*vt+ ALLOW_SCATTER */ c from t")).rows).toHaveLength(2);
      expect((await ex.execute(s, "select c from t where id = 1")).rows).toHaveLength(1);
    } finally {
      close();
    }
  });
});
