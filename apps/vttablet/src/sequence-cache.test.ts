import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMariaDb, type MariaDb } from "@vt/testkit/mariadb";
import { Type, type BindVariable } from "@vt/sqltypes";
import { ConnPool } from "./conn-pool.js";
import { mysql2ConnFactory } from "./mysql2-conn.js";
import { parseNextVal } from "./sequence-cache.js";
import { TabletServer } from "./tablet-server.js";
import { TxPool } from "./tx-pool.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const int = (s: string): BindVariable => ({ type: Type.INT64, value: enc.encode(s), values: [] });

let db: MariaDb;
const servers: TabletServer[] = [];

/** A fresh TabletServer over the same MariaDB: a tablet restart as far as the sequence cache is concerned. */
function newTablet(): TabletServer {
  const factory = mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "", database: "ks" });
  const pool = (name: string, capacity: number) => new ConnPool({ name, capacity, waitTimeoutMs: 0, factory });
  const ts = new TabletServer({
    state: { keyspace: "ks", shard: "0", tabletType: 1, serving: true, primaryTermStartTime: 0 },
    queryPool: pool("conn_pool", 8), streamPool: pool("stream_conn_pool", 1),
    txPool: new TxPool({ pool: pool("transaction_pool", 2), timeoutMs: 0 }), maxResultSize: 10000, streamBufferSize: 1024,
  });
  servers.push(ts);
  return ts;
}

async function nextval(ts: TabletServer, n: number): Promise<bigint> {
  const r = await ts.execute(undefined, "select next :n values from `seq`", { n: int(String(n)) }, 0n);
  expect(r.fields.map((f) => f.name)).toEqual(["nextval"]);
  return BigInt(dec.decode(r.rows[0]![0]!));
}

beforeAll(async () => {
  db = await startMariaDb();
  const c = await mysql2ConnFactory({ host: db.host, port: db.port, user: "root", password: "" })();
  await c.query("create database ks; create table ks.seq (id bigint, next_id bigint, cache bigint, primary key(id)) " +
    "comment 'vitess_sequence'; insert into ks.seq values (0, 1, 10)");
  c.close();
});

afterAll(async () => {
  for (const ts of servers) await ts.shutdown();
  await db?.stop();
});

describe("parseNextVal", () => {
  it.each([
    ["select next :n values from seq", { n: int("3") }, { table: "seq", count: 3n }],
    ["select next 1 values from `my seq`", {}, { table: "my seq", count: 1n }],
    ["SELECT NEXT 5 VALUES FROM ks.seq", {}, { table: "seq", count: 5n }],
    ["select next value from seq", {}, null],
    ["select * from seq", {}, null],
  ])("%s", (sql, bv, want) => {
    expect(parseNextVal(sql, bv)).toEqual(want);
  });

  it("rejects a zero count", () => {
    expect(() => parseNextVal("select next 0 values from seq", {})).toThrow(/invalid increment/);
  });
});

describe("sequences on the tablet", () => {
  it("hands out cached blocks and moves next_id by whole blocks", async () => {
    const ts = newTablet();
    expect(await nextval(ts, 1)).toBe(1n);
    expect(await nextval(ts, 3)).toBe(2n);
    let r = await ts.execute(undefined, "select next_id from seq where id = 0", {}, 0n);
    expect(dec.decode(r.rows[0]![0]!)).toBe("11");
    expect(await nextval(ts, 25)).toBe(5n); // needs 19 more than the block holds: two more blocks of 10
    r = await ts.execute(undefined, "select next_id from seq where id = 0", {}, 0n);
    expect(dec.decode(r.rows[0]![0]!)).toBe("31");
    const lit = await ts.execute(undefined, "select next 1 values from seq", {}, 0n);
    expect(dec.decode(lit.rows[0]![0]!)).toBe("30");
  });

  it("keeps ids unique across 8 concurrent callers and a restart", async () => {
    const seen = new Set<bigint>();
    const take = async (ts: TabletServer, caller: number) => {
      for (let i = 0; i < 20; i++) {
        const n = 1 + ((caller + i) % 3);
        const first = await nextval(ts, n);
        for (let k = 0n; k < BigInt(n); k++) {
          expect(seen.has(first + k)).toBe(false);
          seen.add(first + k);
        }
      }
    };
    const a = newTablet();
    const b = newTablet(); // a second tablet process on the same table (e.g. old and new primary)
    await Promise.all(Array.from({ length: 8 }, (_, i) => take(i % 2 === 0 ? a : b, i)));
    await a.shutdown();
    const restarted = newTablet();
    await Promise.all(Array.from({ length: 8 }, (_, i) => take(restarted, i)));
    expect(seen.size).toBeGreaterThan(300);
  });

  it("fails with MariaDB's error for a missing sequence table", async () => {
    await expect(newTablet().execute(undefined, "select next 1 values from nope", {}, 0n)).rejects.toMatchObject({ errno: 1146 });
  });
});
