import { SqlError } from "@vt/errors";
import { MysqlServer } from "@vt/mysql-protocol";
import { RawClient } from "@vt/mysql-protocol/testing";
import { makeField, Type, type BindVariable, type Result } from "@vt/sqltypes";
import type { QueryService } from "@vt/tablet-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Executor } from "./executor.js";
import { VtgateHandler } from "./mysql-handler.js";
import { SrvKeyspaceResolver } from "./resolver.js";
import { Session } from "./session.js";
import { SessionRegistry } from "./session-registry.js";
import type { SrvTopo } from "./srv-topo.js";
import { twoShardSrvTopo } from "./testing/two-shard-srv-topo.js";
import type { TabletGateway } from "./tablet-gateway.js";
import type { TabletHealth } from "./tablet-health.js";

// The point query's direct path (Executor.runDirect: no engine, no ScatterConn) must answer exactly as the engine
// path does. The same statement with the MULTI_SHARD_AUTOCOMMIT directive (no effect on a SELECT) takes the
// engine path, so each case runs both forms and compares the bytes the client gets.

const enc = new TextEncoder();
const DIRECT = "select c from sbtest1 where id = 7";
const ENGINE = "select /*vt+ MULTI_SHARD_AUTOCOMMIT=1 */ c from sbtest1 where id = 7";

type Answer = (signal: AbortSignal | undefined) => Promise<Result>;

interface Call { readonly shard: string; readonly sql: string; readonly bindVars: Readonly<Record<string, BindVariable>>; readonly stack: string }

const row = (s: string): Result => ({
  fields: [Object.freeze(makeField("c", Type.CHAR, { table: "sbtest1", columnLength: 480, charset: 45 }))],
  rows: [[enc.encode(s)]], rowsAffected: 0n, insertId: 0n, info: "",
});

let server: MysqlServer;
let port: number;
let srv: SrvTopo;
let executor: Executor;
let answer: Answer;
/** Whether the fake tablet connections offer QueryService.executeWith (the mux port's callback form). */
let callbackForm = false;
const calls: Call[] = [];
const unhealthy: string[] = [];
const tablets = new Map<string, TabletHealth>();

beforeAll(async () => {
  ({ srv } = await twoShardSrvTopo());
  while (srv.srvKeyspace("sbtest") === undefined || !srv.vschema.keyspaces.has("sbtest")) await new Promise((r) => setTimeout(r, 10));
  for (const shard of ["-80", "80-"]) {
    const conn = {
      execute: (_t: unknown, sql: string, bindVars: Readonly<Record<string, BindVariable>>, _tx: bigint, _o: unknown, signal?: AbortSignal) => {
        calls.push({ shard, sql, bindVars, stack: new Error().stack ?? "" });
        return answer(signal);
      },
      get executeWith() {
        if (!callbackForm) return undefined;
        return (_t: unknown, sql: string, bindVars: Readonly<Record<string, BindVariable>>, signal: AbortSignal | undefined,
          ok: (r: Result) => void, fail: (e: SqlError) => void) => {
          calls.push({ shard, sql, bindVars, stack: `executeWith\n${new Error().stack ?? ""}` });
          answer(signal).then(ok, (e: unknown) => fail(SqlError.from(e)));
        };
      },
    } as unknown as QueryService;
    tablets.set(shard, { alias: `zone1-${shard}`, conn, keyspace: "sbtest", shard, tabletType: 1, serving: true } as unknown as TabletHealth);
  }
  const gateway = {
    pick: (ks: string, shard: string) => {
      const t = tablets.get(shard);
      if (t === undefined || !t.serving) {
        throw new SqlError(1105, "HY000", `target: ${ks}.${shard}.primary: no healthy tablet available`, "UNAVAILABLE");
      }
      return t;
    },
    markUnhealthy: (alias: string) => {
      unhealthy.push(alias);
      for (const t of tablets.values()) if (t.alias === alias) t.serving = false;
    },
  } as unknown as TabletGateway;
  const sessions = new SessionRegistry();
  executor = new Executor({ srv, gateway, resolver: new SrvKeyspaceResolver(srv), planCacheSize: 100, sessions });
  server = new MysqlServer({ handler: new VtgateHandler(executor, () => undefined, sessions), serverVersion: "10.11.6-MariaDB" });
  port = (await server.listen(0)).port;
});

afterAll(async () => {
  await server.close();
  srv.close();
});

beforeEach(() => {
  answer = () => Promise.resolve(row("hello"));
  calls.length = 0;
  unhealthy.length = 0;
  for (const t of tablets.values()) t.serving = true;
});

async function client(): Promise<RawClient> {
  const c = await RawClient.connect(port);
  await c.login("u", "", { database: "sbtest" });
  return c;
}

/** The response packets of one query, as hex (sequence ids included). */
async function query(c: RawClient, sql: string): Promise<string[]> {
  return (await c.query(sql)).map((p) => `${p.seq}:${p.payload.toString("hex")}`);
}

const viaEngine = (stack: string): boolean => /engine\/src\/route\.ts/.test(stack) && /scatter-conn\.ts/.test(stack);

describe.each([["execute", false], ["executeWith", true]] as const)("the point query's direct path (tablet %s)", (form, cb) => {
  beforeEach(() => { callbackForm = cb; });
  afterAll(() => { callbackForm = false; });
  const usedForm = (stack: string): boolean => stack.startsWith("executeWith\n") === (form === "executeWith");

  it("sends the same shard query and writes the same bytes as the engine path, without the engine", async () => {
    const c = await client();
    const direct = await query(c, DIRECT);
    const engine = await query(c, ENGINE);
    expect(direct).toEqual(engine);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.shard).toBe(calls[1]!.shard);
    expect(calls[0]!.bindVars).toEqual(calls[1]!.bindVars);
    expect(viaEngine(calls[0]!.stack)).toBe(false);
    expect(usedForm(calls[0]!.stack)).toBe(true);
    expect(viaEngine(calls[1]!.stack)).toBe(true);
    c.close();
  });

  it("gives the same result object and session side effects (found rows) through Executor.execute", async () => {
    answer = () => Promise.resolve({ ...row("x"), info: "Rows matched: 1", warnings: 2 });
    const a = new Session("sbtest");
    const b = new Session("sbtest");
    const ra = await executor.execute(a, DIRECT);
    const rb = await executor.execute(b, ENGINE);
    expect(ra).toEqual(rb);
    expect(ra.info).toBe("");
    expect(a.foundRows).toBe(1n);
    expect(a.foundRows).toBe(b.foundRows);
    expect(a.rowCount).toBe(b.rowCount);
    expect(a.running).toBeNull();
  });

  it("reports a tablet's MariaDB error with its errno and SQLSTATE, and the connection keeps serving", async () => {
    answer = () => Promise.reject(new SqlError(1146, "42S02", "Table 'sbtest.sbtest1' doesn't exist", "NOT_FOUND"));
    const c = await client();
    const direct = await query(c, DIRECT);
    const engine = await query(c, ENGINE);
    expect(direct).toEqual(engine);
    expect(direct).toHaveLength(1);
    expect(Buffer.from(direct[0]!.slice(2), "hex").readUInt16LE(1)).toBe(1146);
    answer = () => Promise.resolve(row("again"));
    expect(await query(c, DIRECT)).toEqual(await query(c, ENGINE));
    c.close();
  });

  it("a dead tablet: 2013 to the client, the tablet is marked unhealthy, later queries get 1105, the connection keeps serving", async () => {
    answer = () => Promise.reject(new SqlError(2013, "HY000", "tablet connection closed", "UNAVAILABLE"));
    const c = await client();
    const direct = await query(c, DIRECT);
    expect(Buffer.from(direct[0]!.slice(2), "hex").readUInt16LE(1)).toBe(2013);
    expect(unhealthy).toEqual([`zone1-${calls[0]!.shard}`]);
    const directAfter = await query(c, DIRECT);
    expect(Buffer.from(directAfter[0]!.slice(2), "hex").readUInt16LE(1)).toBe(1105);

    for (const t of tablets.values()) t.serving = true;
    const engine = await query(c, ENGINE);
    expect(engine).toEqual(direct);
    expect(unhealthy).toHaveLength(2);
    expect(await query(c, ENGINE)).toEqual(directAfter);

    for (const t of tablets.values()) t.serving = true;
    answer = () => Promise.resolve(row("back"));
    expect(await query(c, DIRECT)).toEqual(await query(c, ENGINE));
    c.close();
  });

  it("KILL QUERY interrupts it with 1317, cancels the tablet call, and the connection keeps serving", async () => {
    const signals: (AbortSignal | undefined)[] = [];
    answer = (signal) => {
      signals.push(signal);
      return new Promise(() => undefined);
    };
    const c = await client();
    const killer = await client();
    const id = c.handshake!.connectionId;
    const outcomes: string[][] = [];
    for (const sql of [DIRECT, ENGINE]) {
      const pending = query(c, sql);
      while (calls.length < outcomes.length + 1) await new Promise((r) => setTimeout(r, 5));
      await query(killer, `kill query ${id}`);
      outcomes.push(await pending);
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(Buffer.from(outcomes[0]![0]!.slice(2), "hex").readUInt16LE(1)).toBe(1317);
    expect(signals.map((s) => s?.aborted)).toEqual([true, true]);
    answer = () => Promise.resolve(row("after kill"));
    expect(await query(c, DIRECT)).toEqual(await query(c, ENGINE));
    c.close();
    killer.close();
  });
});
