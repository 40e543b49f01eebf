import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrambleCachingSha2, scrambleNativePassword } from "../auth/scramble.js";
import { AuthServerStatic } from "../auth/auth-server-static.js";
import { Capability } from "../constants/capabilities.js";
import { decodeErr } from "../packets/err.js";
import { encodeHandshakeResponse41 } from "../packets/handshake-response41.js";
import { decodeHandshakeV10 } from "../packets/handshake-v10.js";
import { PacketWriter } from "../packets/packet-writer.js";
import { MysqlServer } from "../mysql-server.js";
import { CannedHandler } from "../testing/canned-handler.js";
import { RAW_CLIENT_CAPS, RawClient } from "../testing/raw-client.js";

const handler = new CannedHandler();
const errors: unknown[] = [];
let server: MysqlServer;
let port = 0;
let authServer: MysqlServer;
let authPort = 0;
const clients: RawClient[] = [];

beforeAll(async () => {
  server = new MysqlServer({ handler, maxPacketSize: 1024 * 1024, connectTimeoutMs: 1500, onError: (e) => errors.push(e) });
  port = (await server.listen(0)).port;
  authServer = new MysqlServer({ handler, authServer: new AuthServerStatic({ alice: [{ Password: "secret" }] }) });
  authPort = (await authServer.listen(0)).port;
});

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all([server.close(), authServer.close()]);
});

async function client(p = port): Promise<RawClient> {
  const c = await RawClient.connect(p);
  clients.push(c);
  return c;
}

async function loggedIn(): Promise<RawClient> {
  const c = await client();
  const ok = await c.login("u", "p");
  expect(ok.payload[0]).toBe(0);
  return c;
}

/** A second connection that must keep working whatever the first one did. */
async function stillServing(): Promise<void> {
  const c = await loggedIn();
  const res = await c.query("select 1");
  expect(res.at(-1)?.payload[0]).toBe(0xfe);
  c.close();
}

describe("bad input", () => {
  it("garbage instead of a handshake response: ERR 1043 and close", async () => {
    const c = await client();
    await c.next();
    c.socket.write(Buffer.from("0500000100deadbeef00", "hex"));
    const p = await c.next();
    expect(decodeErr(p.payload)).toMatchObject({ errno: 1043, sqlState: "08S01" });
    await c.closed;
    await stillServing();
  });

  it("random bytes after login: connection errors or closes, others keep working", async () => {
    for (let i = 0; i < 20; i++) {
      const c = await loggedIn();
      const junk = Buffer.alloc(64 + i * 13);
      for (let j = 0; j < junk.length; j++) junk[j] = (j * 7919 + i * 104729) & 0xff;
      c.socket.write(junk);
      const outcome = await Promise.race([c.closed.then(() => "closed"), c.next(1000).then(() => "reply", () => "closed")]);
      expect(["closed", "reply"]).toContain(outcome);
      c.close();
    }
    await stillServing();
  });

  it("unknown command: ERR 1047, connection stays usable", async () => {
    const c = await loggedIn();
    c.send(Buffer.from([0x99, 1, 2]), 0);
    expect(decodeErr((await c.next()).payload)).toMatchObject({ errno: 1047 });
    expect((await c.query("select 1")).at(-1)?.payload[0]).toBe(0xfe);
  });

  it("wrong sequence id: ERR 1156 and close", async () => {
    const c = await loggedIn();
    c.send(Buffer.from([3, 0x31]), 5);
    expect(decodeErr((await c.next()).payload)).toMatchObject({ errno: 1156, sqlState: "08S01" });
    await c.closed;
  });

  it("oversized length: ERR 1153 and close", async () => {
    const c = await loggedIn();
    c.socket.write(Buffer.from("ffffff0003", "hex"));
    expect(decodeErr((await c.next()).payload)).toMatchObject({ errno: 1153 });
    await c.closed;
    await stillServing();
  });

  it("truncated packet then disconnect: nothing leaks", async () => {
    const c = await loggedIn();
    const id = c.handshake!.connectionId;
    expect(server.connection(id)).toBeDefined();
    c.socket.write(Buffer.from("1000000003616263", "hex"));
    await new Promise((r) => setTimeout(r, 50));
    c.close();
    await c.closed;
    await new Promise((r) => setTimeout(r, 50));
    expect(server.connection(id)).toBeUndefined();
    expect(handler.events).toContain(`closed ${id}`);
  });

  it("a silent client is dropped by the connect timeout", async () => {
    const c = await client();
    await c.next();
    await c.closed;
  });

  it("bad prepared statement id and malformed COM_STMT_EXECUTE", async () => {
    const c = await loggedIn();
    c.send(Buffer.from("17" + "63000000" + "00" + "01000000", "hex"), 0);
    expect(decodeErr((await c.next()).payload)).toMatchObject({ errno: 1243 });
    c.send(Buffer.concat([Buffer.from([0x16]), Buffer.from("select ?, ?")]), 0);
    const ok = await c.next();
    expect(ok.payload[0]).toBe(0);
    const id = ok.payload.readUInt32LE(1);
    for (let i = 0; i < 4; i++) await c.next(); // 2 parameter + 2 column definitions, no EOFs (DEPRECATE_EOF)
    c.send(Buffer.from("17" + Buffer.from([id, 0, 0, 0]).toString("hex") + "00" + "01000000" + "00" + "01" + "0800", "hex"), 0);
    expect(decodeErr((await c.next()).payload)).toMatchObject({ errno: 1210 });
    expect((await c.query("select 1")).at(-1)?.payload[0]).toBe(0xfe);
  });

  it("client disconnects mid-result: the handler stops, the connection is cleaned up", async () => {
    const c = await loggedIn();
    const start = handler.rowsProduced;
    c.send(Buffer.concat([Buffer.from([3]), Buffer.from("select rows 2000000")]), 0);
    await c.next();
    c.close();
    await new Promise((r) => setTimeout(r, 200));
    const produced = handler.rowsProduced - start;
    expect(produced).toBeLessThan(2000000);
    await new Promise((r) => setTimeout(r, 100));
    expect(handler.rowsProduced - start).toBe(produced);
    await stillServing();
  });

  it("a slow reader gets backpressure, then every row", async () => {
    const c = await loggedIn();
    c.socket.pause();
    const start = handler.rowsProduced;
    c.send(Buffer.concat([Buffer.from([3]), Buffer.from("select rows 300000")]), 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(handler.rowsProduced - start).toBeLessThan(300000);
    c.socket.resume();
    let rows = 0;
    await c.next(); // column count
    await c.next();
    await c.next();
    for (;;) {
      const p = await c.next(10000);
      if (p.payload[0] === 0xfe) break;
      rows++;
    }
    expect(rows).toBe(300000);
  });

  it("COM_QUIT closes; COM_PING, COM_SET_OPTION, COM_RESET_CONNECTION, COM_STATISTICS answer", async () => {
    const c = await loggedIn();
    c.send(Buffer.from([0x0e]), 0);
    expect((await c.next()).payload[0]).toBe(0);
    c.send(Buffer.from([0x1b, 0, 0]), 0);
    expect((await c.next()).payload[0]).toBe(0xfe);
    c.send(Buffer.from([0x1f]), 0);
    expect((await c.next()).payload[0]).toBe(0);
    c.send(Buffer.from([0x09]), 0);
    expect((await c.next()).payload.toString()).toContain("Uptime");
    c.send(Buffer.from([0x04, 0x74, 0]), 0);
    expect((await c.next()).payload[0]).toBe(0xfe);
    c.send(Buffer.from([0x01]), 0);
    await c.closed;
  });

  it("no unexpected internal errors were reported", () => {
    expect(errors).toEqual([]);
  });
});

describe("auth plugins on the wire", () => {
  async function start(user: string, plugin: string, response: (scramble: Buffer) => Buffer): Promise<RawClient> {
    const c = await client(authPort);
    const hs = decodeHandshakeV10((await c.next()).payload);
    const w = new PacketWriter();
    w.seq = 1;
    encodeHandshakeResponse41(w, {
      capabilities: RAW_CLIENT_CAPS, maxPacketSize: 1 << 24, charset: 45, user,
      authResponse: response(Buffer.from(hs.authPluginData)), database: "", authPluginName: plugin, attributes: new Map(),
    });
    c.socket.write(w.take());
    c.handshake = hs;
    return c;
  }

  it("caching_sha2_password fast path: AuthMoreData(3) then OK", async () => {
    const c = await start("alice", "caching_sha2_password", (s) => scrambleCachingSha2(s, "secret"));
    const more = await c.next();
    expect(more.payload.toString("hex")).toBe("0103");
    expect((await c.next()).payload[0]).toBe(0);
  });

  it("caching_sha2_password wrong password: 1045", async () => {
    const c = await start("alice", "caching_sha2_password", (s) => scrambleCachingSha2(s, "nope"));
    expect(decodeErr((await c.next()).payload)).toMatchObject({ errno: 1045, sqlState: "28000" });
  });

  it("unknown client plugin: auth switch to mysql_native_password", async () => {
    const c = await start("alice", "dialog", () => Buffer.from("x"));
    const sw = await c.next();
    expect(sw.payload[0]).toBe(0xfe);
    expect(sw.payload.toString("latin1", 1, 22)).toBe("mysql_native_password");
    c.send(scrambleNativePassword(c.handshake!.authPluginData, "secret"), sw.seq + 1);
    expect((await c.next()).payload[0]).toBe(0);
  });

  it("client without PLUGIN_AUTH uses native password directly", async () => {
    const c = await client(authPort);
    const ok = await c.login("alice", "secret", { caps: RAW_CLIENT_CAPS & ~Capability.PLUGIN_AUTH });
    expect(ok.payload[0]).toBe(0);
  });
});
