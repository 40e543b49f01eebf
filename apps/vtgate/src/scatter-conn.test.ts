import { describe, expect, it } from "vitest";
import type { ResolvedShard } from "@vt/engine";
import type { QueryService } from "@vt/tablet-client";
import type { Result } from "@vt/sqltypes";
import { ScatterConn } from "./scatter-conn.js";
import { Session } from "./session.js";
import type { TabletGateway } from "./tablet-gateway.js";
import { TxConn } from "./tx-conn.js";

const empty = (): Result => ({ fields: [], rows: [], rowsAffected: 0n, insertId: 0n, info: "" });

/** Fake tablets that log every call as "shard:call" and keep each call pending until the test lets it go. */
function fakeGateway() {
  const log: string[] = [];
  const pending: (() => void)[] = [];
  let txid = 100n;
  const tablet = (shard: string, alias: string) => {
    const call = <T>(name: string, value: T): Promise<T> => {
      log.push(`${shard}:${name}`);
      return new Promise<T>((resolve) => pending.push(() => resolve(value)));
    };
    const conn = {
      execute: () => call("execute", empty()),
      beginExecute: () => call("beginExecute", { transactionId: ++txid, result: empty() }),
      begin: () => call("begin", { transactionId: ++txid }),
      commit: () => call("commit", undefined),
      rollback: () => call("rollback", undefined),
    } as unknown as QueryService;
    return { alias, conn, keyspace: "ks", shard, tabletType: 1, serving: true };
  };
  const tablets = [tablet("-80", "zone1-0000000100"), tablet("80-", "zone1-0000000200")];
  const gateway = {
    all: () => tablets,
    get: (alias: string) => tablets.find((t) => t.alias === alias),
    pick: (_ks: string, shard: string) => tablets.find((t) => t.shard === shard)!,
    markUnhealthy: () => undefined,
  } as unknown as TabletGateway;
  /** Lets every pending call answer; resolves once the promises they settle have run. */
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) {
      for (const p of pending.splice(0)) p();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { log, gateway, flush, inFlight: () => pending.length };
}

const shard = (s: string): ResolvedShard => ({ keyspace: "ks", shard: s, tabletType: "PRIMARY" });
const q = (sql: string) => ({ sql, bindVars: {} });

describe("ScatterConn + TxConn: the calls of one sysbench oltp_read_only transaction", () => {
  it("BEGIN costs nothing, each shard gets one BeginExecute, one Execute per further query and one Commit, sent together", async () => {
    const g = fakeGateway();
    const session = new Session("ks");
    const tx = new TxConn({ gateway: g.gateway });
    const sc = new ScatterConn(g.gateway, session, tx);
    const run = async (p: Promise<unknown>) => { await g.flush(); await p; };

    await tx.begin(session, "BEGIN");
    expect(g.log).toEqual([]);
    // 10 point selects, alternating shards
    for (let i = 0; i < 10; i++) {
      await run(sc.executeMultiShard([shard(i % 2 === 0 ? "-80" : "80-")], [q(`select c from sbtest1 where id = ${i}`)], { isDML: false, canAutocommit: true }));
    }
    // 4 range queries, each scattered to both shards
    for (const sql of ["select c from sbtest1 where id between 1 and 100", "select sum(k) from sbtest1 where id between 1 and 100",
      "select c from sbtest1 where id between 1 and 100 order by c", "select distinct c from sbtest1 where id between 1 and 100 order by c"]) {
      const p = sc.executeMultiShard([shard("-80"), shard("80-")], [q(sql), q(sql)], { isDML: false, canAutocommit: true });
      expect(g.inFlight()).toBe(2); // both shards at once
      await run(p);
    }
    const commit = tx.commit(session);
    expect(g.inFlight()).toBe(2); // a transaction that only read commits both shards in one round trip
    await run(commit);

    const count = (s: string) => {
      const calls = g.log.filter((l) => l.startsWith(`${s}:`)).map((l) => l.slice(s.length + 1));
      return { beginExecute: calls.filter((c) => c === "beginExecute").length, execute: calls.filter((c) => c === "execute").length,
        begin: calls.filter((c) => c === "begin").length, commit: calls.filter((c) => c === "commit").length, total: calls.length };
    };
    // per shard: 5 point selects + 4 ranges = 9 queries -> 1 BeginExecute + 8 Execute, then 1 Commit; no separate Begin
    expect(count("-80")).toEqual({ beginExecute: 1, execute: 8, begin: 0, commit: 1, total: 10 });
    expect(count("80-")).toEqual({ beginExecute: 1, execute: 8, begin: 0, commit: 1, total: 10 });
    expect(session.inTransaction).toBe(false);
    expect(session.shardSessions).toEqual([]);
  });

  it("a transaction that wrote commits shard by shard (MULTI order)", async () => {
    const g = fakeGateway();
    const session = new Session("ks");
    const tx = new TxConn({ gateway: g.gateway });
    const sc = new ScatterConn(g.gateway, session, tx);
    await tx.begin(session, "BEGIN");
    let p: Promise<unknown> = sc.executeMultiShard([shard("-80")], [q("select 1")], { isDML: false, canAutocommit: true });
    await g.flush(); await p;
    p = sc.executeMultiShard([shard("80-")], [q("update sbtest1 set k = k + 1 where id = 2")], { isDML: true, canAutocommit: true });
    await g.flush(); await p;
    expect(session.shardSessions.map((s) => s.wrote === true)).toEqual([false, true]);
    const commit = tx.commit(session);
    expect(g.inFlight()).toBe(1);
    await g.flush(); await commit;
    expect(g.log.slice(-2)).toEqual(["-80:commit", "80-:commit"]);
  });
});
