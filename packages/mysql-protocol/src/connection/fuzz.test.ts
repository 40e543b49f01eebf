import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MysqlType } from "@vt/sqltypes";
import { encodeComStmtExecute } from "../packets/com-stmt-execute.js";
import { PacketWriter } from "../packets/packet-writer.js";
import { MysqlServer } from "../mysql-server.js";
import { CannedHandler } from "../testing/canned-handler.js";
import { RawClient } from "../testing/raw-client.js";

/** Deterministic PRNG (mulberry32) so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const exec = (() => {
  const w = new PacketWriter();
  encodeComStmtExecute(w, 1, [
    { mysqlType: MysqlType.LONGLONG, value: Buffer.alloc(8, 1) },
    { mysqlType: MysqlType.VAR_STRING, value: Buffer.from("\x03abc", "latin1") },
    { mysqlType: MysqlType.DATETIME, value: Buffer.from("07e8070102030405", "hex") },
  ]);
  return w.take().subarray(4);
})();

/** Valid command payloads to mutate. */
const corpus: Buffer[] = [
  Buffer.from("\x03select 1"),
  Buffer.from("\x03select * from t"),
  Buffer.from("\x03select 1; select 2"),
  Buffer.from("\x16select ?, ?, ?"),
  exec,
  Buffer.from("\x18\x01\x00\x00\x00\x00\x00data", "latin1"),
  Buffer.from("\x19\x01\x00\x00\x00", "latin1"),
  Buffer.from("\x1a\x01\x00\x00\x00", "latin1"),
  Buffer.from("\x04t\x00", "latin1"),
  Buffer.from("\x1b\x00\x00", "latin1"),
  Buffer.from("\x02db"),
  Buffer.from("\x11v\x00\x00db\x00\x2d\x00mysql_native_password\x00", "latin1"),
  Buffer.from("\x0e"),
  Buffer.from("\x1f"),
];

function mutate(rand: () => number, p: Buffer): Buffer {
  const b = Buffer.from(p);
  const kind = Math.floor(rand() * 4);
  if (kind === 0) for (let i = 0; i < 1 + rand() * 4; i++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
  if (kind === 1) return b.subarray(0, Math.floor(rand() * b.length));
  if (kind === 2) return Buffer.concat([b, Buffer.from(Array.from({ length: Math.floor(rand() * 16) }, () => Math.floor(rand() * 256)))]);
  return b;
}

describe("fuzz", () => {
  const handler = new CannedHandler();
  const errors: unknown[] = [];
  let server: MysqlServer;
  let port = 0;
  beforeAll(async () => {
    server = new MysqlServer({ handler, maxPacketSize: 1 << 20, connectTimeoutMs: 500, onError: (e) => errors.push(e) });
    port = (await server.listen(0)).port;
  });
  afterAll(() => server.close());

  it("random and mutated packets for a bounded time: no crash, no leak, others keep working", async () => {
    const rand = prng(Number(process.env.FUZZ_SEED ?? 12345));
    const deadline = Date.now() + Number(process.env.FUZZ_MS ?? 1500);
    let rounds = 0;
    while (Date.now() < deadline) {
      rounds++;
      const c = await RawClient.connect(port);
      try {
        if (rand() < 0.2) {
          await c.next();
          const junk = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 80) }, () => Math.floor(rand() * 256)));
          c.send(junk, 1);
        } else {
          await c.login("u", "p");
          for (let i = 0; i < 1 + rand() * 4; i++) {
            const p = mutate(rand, corpus[Math.floor(rand() * corpus.length)] as Buffer);
            const seq = rand() < 0.9 ? 0 : Math.floor(rand() * 256);
            if (rand() < 0.1) c.socket.write(p); // unframed bytes
            else c.send(p, seq);
            await c.next(100).catch(() => undefined);
          }
        }
        await c.next(30).catch(() => undefined);
      } finally {
        c.close();
      }
    }
    expect(rounds).toBeGreaterThan(10);
    const ok = await RawClient.connect(port);
    await ok.login("u", "p");
    expect((await ok.query("select 1")).at(-1)?.payload[0]).toBe(0xfe);
    ok.close();
    for (let i = 0; i < 100 && server.connectionCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(server.connectionCount).toBe(0);
    expect(errors).toEqual([]);
  });
});
