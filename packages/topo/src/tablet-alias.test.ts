import { describe, expect, it } from "vitest";
import { parseTabletAlias, tabletAliasString } from "./tablet-alias.js";

describe("tablet alias", () => {
  it.each([
    [{ cell: "zone1", uid: 100 }, "zone1-0000000100"],
    [{ cell: "us-east-1a", uid: 4294967295 }, "us-east-1a-4294967295"],
    [{ cell: "c", uid: 0 }, "c-0000000000"],
  ])("%o <-> %s", (alias, text) => {
    expect(tabletAliasString(alias)).toBe(text);
    const back = parseTabletAlias(text);
    expect({ cell: back.cell, uid: back.uid }).toEqual(alias);
  });

  it("accepts unpadded uids and rejects garbage", () => {
    expect(parseTabletAlias("zone1-100").uid).toBe(100);
    for (const bad of ["zone1", "-100", "zone1-", "zone1-x1", "zone1-99999999999"]) {
      expect(() => parseTabletAlias(bad)).toThrow(/invalid tablet alias/);
    }
  });
});
