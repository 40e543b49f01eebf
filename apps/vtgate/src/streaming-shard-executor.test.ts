import { describe, expect, it } from "vitest";
import { emptyResult, type Result } from "@vt/sqltypes";
import { mergeStreams } from "./streaming-shard-executor.js";

function source(name: string, n: number, log: string[]): AsyncIterator<Result> {
  let i = 0;
  return {
    next: async () => {
      if (i >= n) return { done: true, value: undefined };
      log.push(`${name}${i}`);
      i++;
      return { done: false, value: { ...emptyResult(), info: `${name}${i - 1}` } };
    },
    return: async () => { log.push(`${name}.return`); return { done: true, value: undefined }; },
  };
}

describe("mergeStreams", () => {
  it("yields every message of every stream, pulling at most one ahead per stream", async () => {
    const log: string[] = [];
    const got: string[] = [];
    for await (const r of mergeStreams([source("a", 3, log), source("b", 2, log)])) got.push(r.info);
    expect(got.sort()).toEqual(["a0", "a1", "a2", "b0", "b1"]);
  });

  it("closes the other streams on an early break", async () => {
    const log: string[] = [];
    for await (const _ of mergeStreams([source("a", 5, log), source("b", 5, log)])) break;
    expect(log).toContain("a.return");
    expect(log).toContain("b.return");
    expect(log.filter((l) => /^[ab]\d$/.test(l)).length).toBeLessThanOrEqual(4);
  });

  it("rejects with the abort reason", async () => {
    const ac = new AbortController();
    const never: AsyncIterator<Result> = { next: () => new Promise(() => undefined), return: async () => ({ done: true, value: undefined }) };
    const p = (async () => { for await (const _ of mergeStreams([never], ac.signal)) { /* none */ } })();
    ac.abort();
    await expect(p).rejects.toMatchObject({ errno: 1317 });
  });
});
