import { describe, expect, it } from "vitest";
import { parseTarget, targetString } from "./target.js";

describe("parseTarget", () => {
  it.each([
    ["commerce", { keyspace: "commerce", tabletType: "PRIMARY" }],
    ["commerce:-80", { keyspace: "commerce", shard: "-80", tabletType: "PRIMARY" }],
    ["commerce@replica", { keyspace: "commerce", tabletType: "REPLICA" }],
    ["commerce:80-@rdonly", { keyspace: "commerce", shard: "80-", tabletType: "RDONLY" }],
    ["commerce[-80]@replica", { keyspace: "commerce", keyRange: "-80", tabletType: "REPLICA" }],
    ["", { keyspace: "", tabletType: "PRIMARY" }],
  ])("%s", (text, want) => {
    expect(parseTarget(text)).toEqual(want);
    expect(targetString(parseTarget(text))).toBe(text);
  });
  it("rejects an unknown tablet type with 1049", () => {
    expect(() => parseTarget("commerce@nope")).toThrow(expect.objectContaining({ errno: 1049 }));
  });
});
