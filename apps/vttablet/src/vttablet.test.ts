import { afterAll, beforeAll, expect, it } from "vitest";
import { startMariaDb, type MariaDb } from "@vt/testkit/mariadb";
import { newMemoryTopoServer, type TopoServer } from "@vt/topo";
import { GrpcQueryService } from "@vt/tablet-client";
import { mysql2ConnFactory } from "./mysql2-conn.js";
import { startVttablet, type Vttablet, type VttabletConfig } from "./vttablet.js";

const dec = new TextDecoder();
let dbs: MariaDb[] = [];
let tablets: Vttablet[] = [];
let topo: TopoServer;

const config = (uid: number, type: number, db: MariaDb): VttabletConfig => ({
  tablet: { alias: { cell: "zone1", uid }, hostname: "127.0.0.1", grpcPort: 0, keyspace: "commerce", shard: "-80",
    tabletType: type, mysqlHostname: "127.0.0.1", mysqlPort: db.port, dbNameOverride: "" },
  grpcHost: "127.0.0.1", grpcPort: 0, dbName: "commerce", replUser: "repl", replPassword: "replpw",
  globalServerAddress: "memory", poolSize: 4, streamPoolSize: 4, txCap: 4, dbaPoolSize: 2, txPoolTimeoutMs: 1000,
  txTimeoutMs: 30000, maxResultSize: 10000, streamBufferSize: 32768, healthCheckIntervalMs: 500,
});

beforeAll(async () => {
  dbs = await Promise.all([startMariaDb({ serverId: 1 }), startMariaDb({ serverId: 2 })]);
  topo = (await newMemoryTopoServer("zone1")).ts;
  const factory = (db: MariaDb) => ({
    dba: mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "" }),
    app: (o: { database: string; user: string; password: string }) =>
      mysql2ConnFactory({ host: db.host, port: db.port, user: o.user, password: o.password })({ database: o.database }),
  });
  // Start the replica first: it must wait for the primary to appear in topo.
  const replica = startVttablet(config(101, 2, dbs[1]!), topo, factory(dbs[1]!));
  const primary = await startVttablet(config(100, 1, dbs[0]!), topo, factory(dbs[0]!));
  tablets = [primary, await replica];
});

afterAll(async () => {
  for (const t of tablets) await t.stop();
  await topo?.close();
  await Promise.all(dbs.map((d) => d.stop()));
});

it("registers in topo and replicates primary writes to the replica", async () => {
  const shard = await topo.getShard("commerce", "-80");
  expect(shard.value.primaryAlias).toMatchObject({ cell: "zone1", uid: 100 });
  expect(shard.value.isPrimaryServing).toBe(true);
  const t = await topo.getTablet({ cell: "zone1", uid: 101 } as never);
  expect(t.value).toMatchObject({ keyspace: "commerce", shard: "-80", type: 2, portMap: { grpc: tablets[1]!.grpcPort, mux: tablets[1]!.muxPort } });
  expect(tablets[1]!.muxPort).toBeGreaterThan(0);
  await tablets[1]!.replicationReady;

  // The primary over gRPC's Multiplex stream, the replica over its mux port (as vtgate connects).
  const p = new GrpcQueryService(`127.0.0.1:${tablets[0]!.grpcPort}`);
  const r = new GrpcQueryService(`127.0.0.1:${tablets[1]!.grpcPort}`, { muxAddress: `127.0.0.1:${tablets[1]!.muxPort}` });
  try {
    const primary = { keyspace: "commerce", shard: "-80", tabletType: 1 };
    const replica = { keyspace: "commerce", shard: "-80", tabletType: 2 };
    await p.execute(primary, "create table users (id bigint primary key, name varchar(32)); insert into users values (1, 'alice')", {}, 0n);
    let rows: string[] = [];
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      const res = await r.execute(replica, "select name from users where id = 1", {}, 0n).catch(() => undefined);
      rows = res?.rows.map((row) => dec.decode(row[0]!)) ?? [];
      if (rows.length === 0) await new Promise((ok) => setTimeout(ok, 50));
    }
    expect(rows).toEqual(["alice"]);
    // The replica's pools log in as vt_app (no SUPER), so read_only rejects writes there.
    await expect(r.execute(replica, "insert into users values (2, 'bob')", {}, 0n))
      .rejects.toMatchObject({ errno: 1290, sqlState: "HY000" });
    const tx = await r.begin(replica);
    await expect(r.execute(replica, "update users set name = 'x'", {}, tx.transactionId)).rejects.toMatchObject({ errno: 1290 });
    await r.rollback(replica, tx.transactionId);
    const who = await p.execute(primary, "select current_user()", {}, 0n);
    expect(dec.decode(who.rows[0]![0]!)).toMatch(/^vt_app@/);
    for await (const h of r.streamHealth()) {
      expect(h.realtimeStats?.healthError).toBe("");
      expect(h.target?.tabletType).toBe(2);
      break;
    }
  } finally {
    p.close();
    r.close();
  }
});
