import { describe, expect, it } from "vitest";
import { TopoError } from "@vt/errors";
import { runTopoConformance } from "../conformance/index.js";
import { MemoryTopoFactory } from "./memory-topo-factory.js";

const factory = new MemoryTopoFactory();
runTopoConformance("memory", { makeConn: async (root) => factory.conn(root) });

describe("MemoryTopoFactory.injectError", () => {
  it("fails the chosen op until cleared", async () => {
    const f = new MemoryTopoFactory();
    const c = f.conn("/vitess/global");
    await c.create("x", new Uint8Array([1]));
    f.injectError("get", new TopoError("Timeout", "x"));
    await expect(c.get("x")).rejects.toMatchObject({ code: "Timeout" });
    await c.update("x", new Uint8Array([2]), null);
    f.injectError("get", null);
    expect([...(await c.get("x")).data]).toEqual([2]);
  });
});
