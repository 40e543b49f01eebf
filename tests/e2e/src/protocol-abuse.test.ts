// Bad input against a live vtgate (garbage, truncated packets, wrong sequence ids, oversized lengths, unknown
// statement ids, parameter count mismatches, a client leaving mid-result, a bounded fuzz run), checking that other
// connections keep working and nothing leaks (vtgate's fd count); then 5,000 idle connections held at once.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCluster } from "@vt/localcluster";
import type mysql from "mysql2/promise";
import { connectGate, rows, startExampleCluster } from "./cluster.js";
import { fdCount, pidOf, RawConn, rssMiB } from "./protocol-helpers.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A seeded PRNG (mulberry32), so a failing fuzz run can be replayed from the printed seed. */
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

describe("vtgate under bad input", () => {
  let cluster: LocalCluster;
  let cleanup: () => Promise<void>;
  let witness: mysql.Connection;
  let pid: number;

  beforeAll(async () => {
    ({ cluster, cleanup } = await startExampleCluster());
    witness = await connectGate(cluster.gatePort, "commerce");
    pid = pidOf(cluster, "vtgate");
  });
  afterAll(async () => {
    await witness?.end().catch(() => {});
    await cleanup?.();
  });

  const stillServes = async (): Promise<void> => {
    expect(await rows(witness, "SELECT COUNT(*) FROM users")).toEqual([["0"]]);
  };

  it("closes on garbage before login, a truncated packet, or an oversized length, and keeps serving others", async () => {
    const g = await RawConn.open(cluster.gatePort);
    await g.read();
    g.socket.write(randomBytes(64));
    const r = await g.read();
    expect(r === null || r.payload[0] === 0xff).toBe(true);
    await sleep(100);
    const t = await RawConn.open(cluster.gatePort);
    await t.read();
    t.socket.write(Buffer.from([0x40, 0, 0, 1, 1, 2, 3]));
    t.close();
    const o = await RawConn.open(cluster.gatePort);
    await o.login();
    const big = Buffer.from([0xff, 0xff, 0xff, 0]);
    for (let i = 0; i < 8; i++) o.socket.write(big);
    o.socket.write(Buffer.from([0xff, 0xff, 0xff, 0]));
    await o.read(3000);
    o.close();
    await stillServes();
  });

  it("answers a wrong sequence id with 1156 and closes", async () => {
    const s = await RawConn.open(cluster.gatePort);
    await s.login();
    s.send(5, Buffer.from([3, ...Buffer.from("SELECT 1 FROM dual")]));
    const r = await s.read();
    expect(r?.payload[0]).toBe(0xff);
    expect(r?.payload.readUInt16LE(1)).toBe(1156);
    expect(await s.read(2000)).toBeNull();
    await stillServes();
  });

  it("reports unknown prepared statement ids and parameter count mismatches, and the connection stays usable", async () => {
    const s = await RawConn.open(cluster.gatePort);
    await s.login();
    const exec = Buffer.alloc(10);
    exec[0] = 0x17;
    exec.writeUInt32LE(4242, 1);
    exec.writeUInt32LE(1, 6);
    s.send(0, exec);
    const r = await s.read();
    expect(r?.payload.readUInt16LE(1)).toBe(1243);
    s.send(0, Buffer.from([0x16, ...Buffer.from("SELECT user_id FROM users WHERE user_id = ? AND name = ?")]));
    const ok = await s.read();
    expect(ok?.payload[0]).toBe(0);
    const id = ok!.payload.readUInt32LE(1);
    for (let p = await s.read(500); p !== null; p = await s.read(500)) { /* param/column definitions */ }
    const short = Buffer.alloc(10);
    short[0] = 0x17;
    short.writeUInt32LE(id, 1);
    short.writeUInt32LE(1, 6);
    s.send(0, short);
    const mismatch = await s.read();
    expect(mismatch?.payload[0]).toBe(0xff);
    const q = await s.query("SELECT 1 FROM dual");
    expect(q.length).toBeGreaterThan(1);
    s.close();
    await stillServes();
  });

  it("survives a client that disconnects in the middle of a large result", async () => {
    const s = await RawConn.open(cluster.gatePort);
    await s.login();
    await s.query("USE `commerce:-80`");
    s.send(0, Buffer.from([3, ...Buffer.from("SELECT seq, REPEAT('z', 200) FROM seq_1_to_300000")]));
    await s.read();
    s.close();
    await sleep(500);
    await stillServes();
  });

  it("fuzz: random and mutated packets for a bounded time leave vtgate serving, without leaking descriptors", async () => {
    const seed = Number(process.env["FUZZ_SEED"] ?? Date.now() % 1e9);
    const rnd = prng(seed);
    console.log(`fuzz seed ${seed}`);
    const fdsBefore = fdCount(pid);
    const valid = [
      Buffer.from([3, ...Buffer.from("SELECT 1 FROM dual")]), Buffer.from([0x0e]), Buffer.from([0x02, ...Buffer.from("commerce")]),
      Buffer.from([0x16, ...Buffer.from("SELECT ? FROM dual")]), Buffer.from([0x17, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0x1b, 0, 0]), Buffer.from([0x1f]), Buffer.from([0x04, ...Buffer.from("users\0")]), Buffer.from([0x19, 1, 0, 0, 0]),
    ];
    const deadline = Date.now() + Number(process.env["FUZZ_MS"] ?? 8000);
    let rounds = 0;
    while (Date.now() < deadline) {
      const conns = await Promise.all(Array.from({ length: 8 }, async () => {
        const s = await RawConn.open(cluster.gatePort);
        if (rnd() < 0.8) await s.login().catch(() => undefined);
        else await s.read(500);
        return s;
      }));
      for (const s of conns) {
        for (let k = 0; k < 6; k++) {
          const base = Buffer.from(valid[Math.floor(rnd() * valid.length)]!);
          const mode = rnd();
          if (mode < 0.3) {
            for (let m = 0; m < 1 + Math.floor(rnd() * 4); m++) base[Math.floor(rnd() * base.length)] = Math.floor(rnd() * 256);
            s.send(0, base);
          } else if (mode < 0.5) {
            s.send(0, base.subarray(0, Math.floor(rnd() * base.length)));
          } else if (mode < 0.65) {
            s.socket.write(randomBytes(1 + Math.floor(rnd() * 64)));
          } else if (mode < 0.75) {
            s.send(Math.floor(rnd() * 256), base);
          } else {
            s.send(0, base);
          }
          await s.read(50);
        }
      }
      for (const s of conns) s.close();
      rounds++;
    }
    console.log(`fuzz: ${rounds * 8} connections, ${rounds * 48} packets`);
    await sleep(1500);
    await stillServes();
    expect(fdCount(pid)).toBeLessThanOrEqual(fdsBefore + 4);
  }, 120_000);

  it("holds 5,000 idle connections at once and still serves queries", async () => {
    const before = rssMiB(pid);
    const conns: RawConn[] = [];
    const total = Number(process.env["IDLE_CONNS"] ?? 5000);
    for (let i = 0; i < total; i += 250) {
      conns.push(...await Promise.all(Array.from({ length: Math.min(250, total - i) }, async () => {
        const s = await RawConn.open(cluster.gatePort);
        await s.login();
        return s;
      })));
    }
    await sleep(500);
    const held = rssMiB(pid);
    console.log(`${conns.length} idle connections: vtgate RSS ${before.toFixed(0)} MiB -> ${held.toFixed(0)} MiB ` +
      `(${((held - before) * 1024 / conns.length).toFixed(1)} KiB per connection)`);
    await stillServes();
    const q = await conns[conns.length - 1]!.query("SELECT 1 FROM dual");
    expect(q.length).toBeGreaterThan(1);
    for (const s of conns) s.close();
    expect(conns.length).toBe(total);
  }, 180_000);
});
