import { describe, expect, it } from "vitest";
import { gtidSeqs, positionAtLeast } from "./reparent.js";

describe("MariaDB GTID position comparison for reparents", () => {
  it("parses flavored and bare positions per domain", () => {
    expect([...gtidSeqs("MariaDB/0-100-5,1-200-3")]).toEqual([["0", 5n], ["1", 3n]]);
    expect([...gtidSeqs("0-101-7")]).toEqual([["0", 7n]]);
    expect(gtidSeqs("").size).toBe(0);
  });

  it("compares domain by domain, whatever the server id", () => {
    expect(positionAtLeast("MariaDB/0-100-5", "MariaDB/0-101-5")).toBe(true);
    expect(positionAtLeast("MariaDB/0-100-4", "MariaDB/0-100-5")).toBe(false);
    expect(positionAtLeast("MariaDB/0-100-9,1-200-1", "MariaDB/1-200-1")).toBe(true);
    expect(positionAtLeast("MariaDB/0-100-9", "MariaDB/0-100-1,1-200-1")).toBe(false);
    expect(positionAtLeast("MariaDB/0-100-9", "")).toBe(true);
  });
});
