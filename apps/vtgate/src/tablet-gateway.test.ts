import { create } from "@bufbuild/protobuf";
import { TabletSchema, type Tablet } from "@vt/proto/topodata";
import type { QueryService } from "@vt/tablet-client";
import { newMemoryTopoServer } from "@vt/topo";
import { describe, expect, it } from "vitest";
import { TabletGateway } from "./tablet-gateway.js";

const tablet = (uid: number, portMap: Record<string, number>): Tablet => create(TabletSchema, {
  alias: { cell: "zone1", uid }, hostname: "127.0.0.1", portMap, keyspace: "ks", shard: "-80", type: 1,
});

/** A QueryService whose health stream never answers (the gateway only needs to hold it). */
const idle = (): QueryService => ({
  streamHealth: () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) }),
  close: () => undefined,
}) as unknown as QueryService;

describe("TabletGateway connections", () => {
  it("passes a tablet's mux port when advertised (and enabled), and reconnects when it appears", async () => {
    const { ts } = await newMemoryTopoServer("zone1");
    await ts.createTablet(tablet(100, { grpc: 16100, mux: 16150 }));
    await ts.createTablet(tablet(200, { grpc: 16200 }));
    for (const useMuxPort of [true, false]) {
      const calls: [string, string | undefined][] = [];
      const gw = new TabletGateway({
        ts, cells: ["zone1"], log: () => undefined, refreshMs: 20, useMuxPort,
        connect: (addr, mux) => { calls.push([addr, mux]); return idle(); },
      });
      await gw.start();
      try {
        expect(calls.sort()).toEqual([["127.0.0.1:16100", useMuxPort ? "127.0.0.1:16150" : undefined], ["127.0.0.1:16200", undefined]]);
        if (!useMuxPort) continue;
        await ts.updateTabletFields({ cell: "zone1", uid: 200 } as never, (t) => { t.portMap["mux"] = 16250; });
        for (let i = 0; i < 100 && calls.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
        expect(calls[2]).toEqual(["127.0.0.1:16200", "127.0.0.1:16250"]);
      } finally {
        gw.close();
      }
    }
    ts.close();
  });
});
