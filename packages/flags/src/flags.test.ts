import { describe, expect, it } from "vitest";
import { parseFlags } from "./flags.js";

const spec = {
  mysql_server_port: { type: "number", default: 15306, help: "" },
  cell: { type: "string", default: "zone1", help: "" },
  enable_x: { type: "boolean", default: false, help: "" },
} as const;

describe("parseFlags", () => {
  it("reads both spellings and forms", () => {
    const f = parseFlags(spec, ["--mysql-server-port", "1234", "--cell=zone2", "--enable_x"]);
    expect(f).toEqual({ mysql_server_port: 1234, cell: "zone2", enable_x: true });
  });
  it("keeps defaults", () => {
    expect(parseFlags(spec, [])).toEqual({ mysql_server_port: 15306, cell: "zone1", enable_x: false });
  });
  it("rejects unknown flags and bad numbers", () => {
    expect(() => parseFlags(spec, ["--nope"])).toThrow(/unknown flag: --nope/);
    expect(() => parseFlags(spec, ["--mysql_server_port", "x"])).toThrow(/not a number/);
  });
});
