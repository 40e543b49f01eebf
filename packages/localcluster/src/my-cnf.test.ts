import { describe, expect, it } from "vitest";
import { instancePaths, renderMyCnf } from "./my-cnf.js";

describe("renderMyCnf", () => {
  const cnf = renderMyCnf({ dir: "/d/vt_0000000100", port: 17100, serverId: 100, user: "root" });
  const opts = new Map(cnf.split("\n").filter((l) => l.includes("=")).map((l) => l.split("=") as [string, string]));

  it("puts everything in the instance dir with its own tmpdir", () => {
    expect(cnf.startsWith("[mariadbd]\n")).toBe(true);
    expect(opts.get("datadir")).toBe("/d/vt_0000000100/data");
    expect(opts.get("tmpdir")).toBe("/d/vt_0000000100/tmp");
    expect(opts.get("socket")).toBe(instancePaths("/d/vt_0000000100").socket);
    expect(opts.get("log_error")).toBe("/d/vt_0000000100/error.log");
  });

  it("enables ROW binlog with full metadata, GTID strict mode and the uid as server_id", () => {
    expect(opts.get("log_bin")).toBe("/d/vt_0000000100/binlog/mysql-bin");
    expect(opts.get("binlog_format")).toBe("ROW");
    expect(opts.get("binlog_row_metadata")).toBe("FULL");
    expect(opts.get("gtid_strict_mode")).toBe("1");
    expect(opts.get("server_id")).toBe("100");
    expect(opts.get("port")).toBe("17100");
    expect(opts.get("bind-address")).toBe("127.0.0.1");
    expect(opts.get("user")).toBe("root");
  });

  it("sizes the buffer pool at MariaDB's default (16M made 10.11.19 evict pages with most of the pool free)", () => {
    expect(opts.get("innodb_buffer_pool_size")).toBe("128M");
  });

  it("leaves charset settings at MariaDB defaults and omits user when not root", () => {
    expect(cnf).not.toMatch(/character.set|collation/);
    expect(renderMyCnf({ dir: "/d", port: 1, serverId: 2 })).not.toMatch(/^user=/m);
  });
});
