import { expect, it } from "vitest";
import { isTopoError, type TopoErrorCode } from "@vt/errors";
import { type ConformanceContext, dec, enc } from "./conformance-target.js";

/** Asserts that `p` rejects with a TopoError of `code`. */
export async function expectTopoError(p: Promise<unknown>, code: TopoErrorCode): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(isTopoError(err, code), `expected TopoError ${code}, got ${String(err)}`).toBe(true);
}

/** CRUD and version cases. */
export function fileCases(ctx: () => ConformanceContext): void {
  it("create, get, and NodeExists on a second create", async () => {
    const c = await ctx().conn();
    const v = await c.create("a/b/file", enc("one"));
    expect(v).toMatch(/^\d+$/);
    const got = await c.get("a/b/file");
    expect(dec(got.data)).toBe("one");
    expect(got.version).toBe(v);
    await expectTopoError(c.create("a/b/file", enc("two")), "NodeExists");
    await expectTopoError(c.get("a/b/missing"), "NoNode");
  });

  it("update compares versions and returns increasing versions", async () => {
    const c = await ctx().conn();
    const v1 = await c.create("f", enc("1"));
    const v2 = await c.update("f", enc("2"), v1);
    expect(BigInt(v2) > BigInt(v1)).toBe(true);
    await expectTopoError(c.update("f", enc("3"), v1), "BadVersion");
    expect(dec((await c.get("f")).data)).toBe("2");
    const v3 = await c.update("f", enc("3"), null);
    expect(BigInt(v3) > BigInt(v2)).toBe(true);
    await expectTopoError(c.update("nothere", enc("x"), v3), "NoNode");
    const v4 = await c.update("upserted", enc("u"), null);
    expect((await c.get("upserted")).version).toBe(v4);
  });

  it("delete with and without a version", async () => {
    const c = await ctx().conn();
    const v1 = await c.create("d1", enc("x"));
    await c.update("d1", enc("y"), v1);
    await expectTopoError(c.delete("d1", v1), "BadVersion");
    const cur = await c.get("d1");
    await c.delete("d1", cur.version);
    await expectTopoError(c.get("d1"), "NoNode");
    await expectTopoError(c.delete("d1", null), "NoNode");
    await c.create("d2", enc("x"));
    await c.delete("d2", null);
    await expectTopoError(c.get("d2"), "NoNode");
  });

  it("conns on one root share data; other roots are isolated", async () => {
    const a = await ctx().conn();
    const b = await ctx().conn();
    await a.create("shared", enc("s"));
    expect(dec((await b.get("shared")).data)).toBe("s");
    const other = await ctx().target.makeConn(`/conformance-other-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    try {
      await expectTopoError(other.get("shared"), "NoNode");
    } finally {
      await other.close();
    }
  });

  it("of concurrent creates exactly one wins; of concurrent CAS updates exactly one wins", async () => {
    const c = await ctx().conn();
    const creates = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => c.create("race", enc(String(i)))));
    expect(creates.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const v = (await c.get("race")).version;
    const updates = await Promise.allSettled([1, 2, 3].map((i) => c.update("race", enc(`u${i}`), v)));
    expect(updates.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("stores arbitrary bytes", async () => {
    const c = await ctx().conn();
    const bytes = new Uint8Array([0, 255, 1, 128, 10, 13]);
    await c.create("bin", bytes);
    expect([...(await c.get("bin")).data]).toEqual([...bytes]);
  });

  it("listDir lists immediate children sorted, with isDir", async () => {
    const c = await ctx().conn();
    await c.create("dir/b", enc("1"));
    await c.create("dir/a/x", enc("2"));
    await c.create("dir/a/y", enc("3"));
    await c.create("dir/c/z/w", enc("4"));
    expect(await c.listDir("dir")).toEqual([
      { name: "a", isDir: true }, { name: "b", isDir: false }, { name: "c", isDir: true },
    ]);
    expect(await c.listDir("dir/a")).toEqual([{ name: "x", isDir: false }, { name: "y", isDir: false }]);
    expect((await c.listDir("")).map((e) => e.name)).toEqual(["dir"]);
    await expectTopoError(c.listDir("dir/none"), "NoNode");
    await c.delete("dir/c/z/w", null);
    expect((await c.listDir("dir")).map((e) => e.name)).toEqual(["a", "b"]);
  });
}
