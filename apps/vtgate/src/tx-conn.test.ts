import { describe, expect, it } from "vitest";
import { SqlError } from "@vt/errors";
import type { QueryService } from "@vt/tablet-client";
import { Session } from "./session.js";
import type { TabletGateway } from "./tablet-gateway.js";
import { TxConn } from "./tx-conn.js";

/** A gateway of fake tablets that log every call as "shard:call args". */
function fakeGateway(failOn: (shard: string, call: string) => boolean = () => false) {
  const log: string[] = [];
  const tablet = (shard: string, alias: string) => {
    const rec = (call: string, ...args: unknown[]) => {
      log.push(`${shard}:${call}${args.length ? " " + args.map(String).join(" ") : ""}`);
      if (failOn(shard, call)) throw new SqlError(1105, "HY000", `${call} failed on ${shard}`, "UNKNOWN");
      return Promise.resolve();
    };
    const conn = {
      commit: (_t: unknown, id: bigint) => rec("commit", id),
      rollback: (_t: unknown, id: bigint) => rec("rollback", id),
      execute: (_t: unknown, sql: string, _bv: unknown, id: bigint) => rec("execute", sql, id),
      createTransaction: (_t: unknown, dtid: string, ps: { shard: string }[]) => rec("createTransaction", dtid, ps.map((p) => p.shard).join(",")),
      prepare: (_t: unknown, id: bigint, dtid: string) => rec("prepare", id, dtid),
      startCommit: (_t: unknown, id: bigint, dtid: string) => rec("startCommit", id, dtid),
      commitPrepared: (_t: unknown, dtid: string) => rec("commitPrepared", dtid),
      setRollback: (_t: unknown, dtid: string, id: bigint) => rec("setRollback", dtid, id),
      rollbackPrepared: (_t: unknown, dtid: string, id: bigint) => rec("rollbackPrepared", dtid, id),
      concludeTransaction: (_t: unknown, dtid: string) => rec("concludeTransaction", dtid),
      readTransaction: () => Promise.resolve({ dtid: "", state: 1, timeCreated: 0n, participants: [] }),
    } as unknown as QueryService;
    return { alias, conn };
  };
  const tablets = [tablet("-80", "zone1-0000000100"), tablet("80-", "zone1-0000000200")];
  return { log, gateway: { all: () => tablets } as unknown as TabletGateway };
}

function sessionWithTwoShards(mode?: "SINGLE" | "MULTI" | "TWOPC", wrote = true): Session {
  const s = new Session("commerce");
  s.transactionMode = mode;
  s.inTransaction = true;
  s.shardSessions.push({ keyspace: "commerce", shard: "-80", tabletType: 1, tabletAlias: "zone1-0000000100", transactionId: 11n, wrote });
  s.shardSessions.push({ keyspace: "commerce", shard: "80-", tabletType: 1, tabletAlias: "zone1-0000000200", transactionId: 22n });
  return s;
}

describe("TxConn", () => {
  it("MULTI commits shard by shard and rolls back the rest after a failure", async () => {
    const ok = fakeGateway();
    await new TxConn({ gateway: ok.gateway }).commit(sessionWithTwoShards());
    expect(ok.log).toEqual(["-80:commit 11", "80-:commit 22"]);

    const bad = fakeGateway((shard, call) => shard === "-80" && call === "commit");
    await expect(new TxConn({ gateway: bad.gateway }).commit(sessionWithTwoShards())).rejects.toThrow(/commit failed/);
    expect(bad.log).toEqual(["-80:commit 11", "80-:rollback 22"]);
  });

  it("MULTI commits a transaction that only read on all shards at once; a failure is reported after all were tried", async () => {
    const ok = fakeGateway();
    await new TxConn({ gateway: ok.gateway }).commit(sessionWithTwoShards("MULTI", false));
    expect(ok.log).toEqual(["-80:commit 11", "80-:commit 22"]);

    const bad = fakeGateway((shard, call) => shard === "-80" && call === "commit");
    await expect(new TxConn({ gateway: bad.gateway }).commit(sessionWithTwoShards("MULTI", false))).rejects.toThrow(/commit failed on -80/);
    expect(bad.log).toEqual(["-80:commit 11", "80-:commit 22"]);
  });

  it("TWOPC: create, prepare, start commit, commit prepared, conclude; the first shard is the MM", async () => {
    const g = fakeGateway();
    const s = sessionWithTwoShards("TWOPC");
    await new TxConn({ gateway: g.gateway }).commit(s);
    const dtid = "commerce:-80:11";
    expect(g.log).toEqual([`-80:createTransaction ${dtid} 80-`, `80-:prepare 22 ${dtid}`, `-80:startCommit 11 ${dtid}`,
      `80-:commitPrepared ${dtid}`, `-80:concludeTransaction ${dtid}`]);
    expect(s.inTransaction).toBe(false);
    expect(s.shardSessions).toEqual([]);
  });

  it("TWOPC: a failed prepare rolls back the MM and the participants", async () => {
    const g = fakeGateway((shard, call) => shard === "80-" && call === "prepare");
    await expect(new TxConn({ gateway: g.gateway }).commit(sessionWithTwoShards("TWOPC"))).rejects.toThrow(/prepare failed/);
    const dtid = "commerce:-80:11";
    expect(g.log).toEqual([`-80:createTransaction ${dtid} 80-`, `80-:prepare 22 ${dtid}`, `-80:setRollback ${dtid} 11`,
      `80-:rollbackPrepared ${dtid} 22`, `-80:concludeTransaction ${dtid}`]);
  });

  it("TWOPC with the --transaction_mode default, and the crash hook stops after StartCommit", async () => {
    const g = fakeGateway();
    const s = sessionWithTwoShards();
    s.userVars.set("vt_twopc_crash", { type: 6165, raw: new TextEncoder().encode("after_start_commit") });
    let crashed = false;
    const tx = new TxConn({ gateway: g.gateway, defaultMode: "TWOPC", testHooks: true, crash: () => { crashed = true; throw new Error("crash"); } });
    await expect(tx.commit(s)).rejects.toThrow("crash");
    expect(crashed).toBe(true);
    expect(g.log.at(-1)).toMatch(/^-80:startCommit/);
  });

  it("SINGLE rejects a second shard with Vitess's ABORTED error", () => {
    const g = fakeGateway();
    const tx = new TxConn({ gateway: g.gateway });
    const s = new Session("commerce");
    s.transactionMode = "SINGLE";
    s.inTransaction = true;
    tx.checkShards(s, [{ keyspace: "commerce", shard: "-80", tabletType: 1 }]);
    s.shardSessions.push({ keyspace: "commerce", shard: "-80", tabletType: 1, tabletAlias: "zone1-0000000100", transactionId: 11n });
    tx.checkShards(s, [{ keyspace: "commerce", shard: "-80", tabletType: 1 }]);
    let err: SqlError | undefined;
    try {
      tx.checkShards(s, [{ keyspace: "commerce", shard: "80-", tabletType: 1 }]);
    } catch (e) {
      err = e as SqlError;
    }
    expect(err?.errno).toBe(1317);
    expect(err?.vtCode).toBe("ABORTED");
    expect(err?.message).toBe('multi-db transaction attempted: [target:{keyspace:"commerce" shard:"-80" tablet_type:PRIMARY} ' +
      'transaction_id:11 tablet_alias:{cell:"zone1" uid:100} target:{keyspace:"commerce" shard:"80-" tablet_type:PRIMARY}]');
  });

  it("savepoints run on the shards in the transaction and are replayed on shards joining later", async () => {
    const g = fakeGateway();
    const tx = new TxConn({ gateway: g.gateway });
    const s = new Session("commerce");
    await tx.begin(s, "start transaction read only");
    await tx.savepoint(s, "savepoint", "a");
    expect(g.log).toEqual([]);
    s.shardSessions.push({ keyspace: "commerce", shard: "-80", tabletType: 1, tabletAlias: "zone1-0000000100", transactionId: 11n });
    await tx.savepoint(s, "rollback_to", "a");
    expect(g.log).toEqual(["-80:execute rollback to savepoint `a` 11"]);
    expect(tx.shardBegin(s)).toEqual({ options: { transactionAccessMode: [2] }, preQueries: ["savepoint `a`", "rollback to savepoint `a`"] });
    await expect(new TxConn({ gateway: g.gateway }).savepoint(new Session(), "rollback_to", "nope")).rejects.toThrow("SAVEPOINT nope does not exist");
  });

  it("shard begin options: session isolation, next-transaction characteristics, TWOPC prepare capability", () => {
    const tx = new TxConn({ gateway: fakeGateway().gateway });
    const s = new Session("commerce");
    expect(tx.shardBegin(s)).toEqual({ preQueries: [] });
    s.txIsolation = "READ-COMMITTED";
    expect(tx.shardBegin(s).options).toEqual({ transactionIsolation: 2 });
    tx.setNextTransaction(s, "SERIALIZABLE", true);
    s.transactionMode = "TWOPC";
    expect(tx.shardBegin(s).options).toEqual({ transactionIsolation: 4, transactionAccessMode: [2], prepareCapable: true });
    s.resetTransaction();
    expect(tx.shardBegin(s).options).toEqual({ transactionIsolation: 2, prepareCapable: true });
  });
});
