import * as net from "node:net";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { SqlError } from "@vt/errors";
import { MuxRequestSchema, MuxResponseSchema, type MuxRequest } from "@vt/proto/query";
import { afterEach, describe, expect, it } from "vitest";
import { FrameReader } from "./frame-reader.js";
import { MuxSocketClient } from "./mux-socket-client.js";

/** A mux port stand-in: records every request frame; answers an Execute only when its SQL starts with "answer". */
async function fakeTablet(): Promise<{ port: number; requests: MuxRequest[]; close: () => void }> {
  const requests: MuxRequest[] = [];
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    const reader = new FrameReader((f) => {
      const req = fromBinary(MuxRequestSchema, f);
      requests.push(req);
      if (req.request.case === "execute" && req.request.value.query?.sql.startsWith("answer")) {
        const body = toBinary(MuxResponseSchema, create(MuxResponseSchema, {
          id: req.id, last: true, response: { case: "execute", value: { result: { rowsAffected: 3n } } },
        }));
        const len = Buffer.alloc(4);
        len.writeUInt32BE(body.length);
        s.write(Buffer.concat([len, body]));
      }
    });
    s.on("data", (c: Buffer) => reader.push(c));
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, requests, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
}

const target = { keyspace: "ks", shard: "-80", tabletType: 1 };
const until = async (ok: () => boolean): Promise<void> => {
  while (!ok()) await new Promise((r) => setTimeout(r, 2));
};

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup) f();
  cleanup = [];
});

describe("MuxSocketClient abort signals", () => {
  it("an abort fails and cancels (cancel_id) only the calls pending under that signal; the signal can serve many calls", async () => {
    const tablet = await fakeTablet();
    const client = new MuxSocketClient("127.0.0.1", tablet.port);
    cleanup.push(() => client.close(), tablet.close);
    const a = new AbortController();
    const b = new AbortController();

    // One signal across several calls (vtgate's per-session hot-path signal): answered calls settle normally.
    for (let i = 0; i < 3; i++) expect((await client.execute(target, "answer", {}, 0n, false, a.signal)).rowsAffected).toBe(3n);

    const hung1 = client.execute(target, "hang 1", {}, 0n, false, a.signal);
    const hung2 = client.execute(target, "hang 2", {}, 0n, false, a.signal);
    const other = client.execute(target, "hang other", {}, 0n, false, b.signal);
    hung1.catch(() => undefined);
    hung2.catch(() => undefined);
    other.catch(() => undefined);
    await until(() => tablet.requests.length === 6);
    const idOf = (sql: string): bigint => tablet.requests.find((r) => r.request.case === "execute" && r.request.value.query?.sql === sql)!.id;

    const reason = new SqlError(1317, "70100", "Query execution was interrupted", "CANCELED");
    a.abort(reason);
    await expect(hung1).rejects.toBe(reason);
    await expect(hung2).rejects.toBe(reason);
    await until(() => tablet.requests.length === 8);
    const cancelled = tablet.requests.slice(6).map((r) => (r.request.case === "cancelId" ? r.request.value : undefined));
    expect(cancelled.sort()).toEqual([idOf("hang 1"), idOf("hang 2")].sort());

    // The other signal's call is still pending and still answerable by a later abort; calls on an aborted signal fail at once.
    await expect(client.execute(target, "answer", {}, 0n, false, a.signal)).rejects.toBe(reason);
    b.abort();
    await expect(other).rejects.toMatchObject({ errno: 1317 });
    await until(() => tablet.requests.length === 9);
    expect(tablet.requests[8]!.request).toEqual(expect.objectContaining({ case: "cancelId", value: idOf("hang other") }));
    expect((await client.execute(target, "answer", {}, 0n, false)).rowsAffected).toBe(3n);
  });

  it("executeWith (callback form): answers, aborts with cancel_id, fails at once on an aborted signal or a closed client", async () => {
    const tablet = await fakeTablet();
    const client = new MuxSocketClient("127.0.0.1", tablet.port);
    cleanup.push(() => client.close(), tablet.close);
    const call = (sql: string, signal?: AbortSignal): Promise<{ ok?: bigint; err?: SqlError }> => new Promise((resolve) => {
      client.executeWith(target, sql, {}, signal, (r) => resolve({ ok: r.rowsAffected }), (e) => resolve({ err: e }));
    });
    expect(await call("answer")).toEqual({ ok: 3n });
    const ctl = new AbortController();
    expect(await call("answer", ctl.signal)).toEqual({ ok: 3n });
    const hung = call("hang", ctl.signal);
    await until(() => tablet.requests.length === 3);
    const reason = new SqlError(3024, "HY000", "timeout", "DEADLINE_EXCEEDED");
    ctl.abort(reason);
    expect((await hung).err).toBe(reason);
    await until(() => tablet.requests.length === 4);
    expect(tablet.requests[3]!.request).toEqual(expect.objectContaining({ case: "cancelId", value: tablet.requests[2]!.id }));
    let sync: SqlError | undefined;
    client.executeWith(target, "answer", {}, ctl.signal, () => undefined, (e) => { sync = e; });
    expect(sync).toBe(reason);
    client.close();
    expect((await call("answer")).err).toMatchObject({ errno: 2013 });
  });
});
