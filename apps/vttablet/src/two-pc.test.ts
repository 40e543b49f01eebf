import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariaDb, type MariaDb } from "@vt/testkit/mariadb";
import { ConnPool } from "./conn-pool.js";
import type { DbConn } from "./db-conn.js";
import { DtResolver, type ParticipantCaller } from "./dt-resolver.js";
import { mysql2ConnFactory } from "./mysql2-conn.js";
import { rowsAsObjects } from "./result-rows.js";
import { TabletServer } from "./tablet-server.js";
import { TxPool } from "./tx-pool.js";
import { DtState, TwoPc } from "./two-pc.js";

// One MariaDB plays both roles (metadata manager and participant): the calls are the same.
let db: MariaDb;
let ts: TabletServer;
let twoPc: TwoPc;
let admin: DbConn;
const pools: ConnPool[] = [];

const q = async (sql: string) => rowsAsObjects((await admin.query(sql))[0]!);
const ids = async () => (await q("select id from ks.t order by id")).map((r) => r["id"]);
const xa = { prepareCapable: true };

beforeAll(async () => {
  db = await startMariaDb();
  const root = mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "" });
  admin = await root();
  await admin.query("create database ks; create table ks.t (id bigint primary key)");
  const factory = mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "", database: "ks" });
  const pool = (name: string, capacity: number) => {
    const p = new ConnPool({ name, capacity, waitTimeoutMs: 0, factory });
    pools.push(p);
    return p;
  };
  const txPool = new TxPool({ pool: pool("transaction_pool", 6), timeoutMs: 30_000 });
  twoPc = new TwoPc({ txPool, dba: pool("dba_conn_pool", 3), appUser: "vt_app", abandonAgeMs: 60_000 });
  ts = new TabletServer({
    state: { keyspace: "ks", shard: "0", tabletType: 1, serving: true, primaryTermStartTime: 0 },
    queryPool: pool("conn_pool", 2), streamPool: pool("stream_conn_pool", 1), txPool, twoPc,
    maxResultSize: 10000, streamBufferSize: 1024,
  });
});

afterAll(async () => {
  twoPc?.close();
  await ts?.shutdown();
  for (const p of pools) p.close();
  admin?.close();
  await db?.stop();
});

describe("TwoPc on MariaDB XA", () => {
  it("prepare-capable transactions are XA; plain commit/rollback still work on them", async () => {
    const a = await ts.begin(undefined, xa);
    await ts.execute(undefined, "insert into t values (1)", {}, a);
    await ts.commit(undefined, a);
    const b = await ts.begin(undefined, xa);
    await ts.execute(undefined, "insert into t values (2)", {}, b);
    await ts.rollback(undefined, b);
    expect(await ids()).toEqual(["1"]);
    const plain = await ts.begin(undefined, {});
    await expect(twoPc.prepare(plain, "ks:0:x")).rejects.toThrow(/not opened prepare-capable/);
    await ts.rollback(undefined, plain);
  });

  it("runs the MM and participant steps: create, prepare, start commit, commit prepared, conclude", async () => {
    const mm = await ts.begin(undefined, xa);
    const part = await ts.begin(undefined, xa);
    await ts.execute(undefined, "insert into t values (10)", {}, mm);
    await ts.execute(undefined, "insert into t values (20)", {}, part);
    const dtid = `ks:0:${mm}`;
    await twoPc.createTransaction(dtid, [{ keyspace: "ks", shard: "1" }]);
    await twoPc.prepare(part, dtid);
    expect((await q("xa recover")).length).toBe(1);
    expect(await q("select dtid from _vt.redo_state")).toEqual([{ dtid }]);
    await twoPc.startCommit(mm, dtid);
    expect((await twoPc.readTransaction(dtid))?.state).toBe(DtState.COMMIT);
    await twoPc.commitPrepared(dtid);
    await twoPc.concludeTransaction(dtid);
    expect(await ids()).toEqual(["1", "10", "20"]);
    expect(await q("xa recover")).toEqual([]);
    expect(await q("select * from _vt.redo_state")).toEqual([]);
    expect(await twoPc.readTransaction(dtid)).toBeUndefined();
  });

  it("commits a prepared transaction whose connection is gone (tablet restart) by its xid", async () => {
    const part = await ts.begin(undefined, xa);
    await ts.execute(undefined, "insert into t values (30)", {}, part);
    await twoPc.prepare(part, "ks:0:gone");
    twoPc.close(); // drops the holding connection, as a dying vttablet would; MariaDB keeps the XA prepared
    await twoPc.commitPrepared("ks:0:gone");
    expect(await ids()).toContain("30");
    expect(await q("xa recover")).toEqual([]);
  });

  it("the resolver commits an abandoned COMMIT and rolls back an abandoned PREPARE", async () => {
    // dtid A: decided COMMIT, participant prepared; dtid B: still PREPARE, participant prepared.
    const mmA = await ts.begin(undefined, xa);
    const pA = await ts.begin(undefined, xa);
    const pB = await ts.begin(undefined, xa);
    await ts.execute(undefined, "insert into t values (40)", {}, pA);
    await ts.execute(undefined, "insert into t values (50)", {}, pB);
    await twoPc.createTransaction("A", [{ keyspace: "ks", shard: "0" }]);
    await twoPc.createTransaction("B", [{ keyspace: "ks", shard: "0" }]);
    await twoPc.prepare(pA, "A");
    await twoPc.prepare(pB, "B");
    await twoPc.startCommit(mmA, "A");
    const calls: string[] = [];
    const participants: ParticipantCaller = {
      commitPrepared: async (_p, dtid) => { calls.push(`commit ${dtid}`); await twoPc.commitPrepared(dtid); },
      rollbackPrepared: async (_p, dtid) => { calls.push(`rollback ${dtid}`); await twoPc.rollbackPrepared(dtid, 0n); },
    };
    const resolver = new DtResolver({ ts, twoPc, participants, intervalMs: 60_000 });
    expect(await resolver.resolveOnce()).toBe(0); // younger than the abandon age
    await admin.query("update _vt.dt_state set time_created = time_created - 3600000000000");
    expect(await resolver.resolveOnce()).toBe(2);
    expect(calls.sort()).toEqual(["commit A", "rollback B"]);
    expect(await ids()).toContain("40");
    expect(await ids()).not.toContain("50");
    expect(await q("select * from _vt.dt_state")).toEqual([]);
    expect(await q("xa recover")).toEqual([]);
  });
});
