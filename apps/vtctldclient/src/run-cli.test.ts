import { create, type DescMessage } from "@bufbuild/protobuf";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TabletType } from "@vt/proto/topodata";
import { afterAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "./args.js";
import { parseDuration, runCli } from "./run-cli.js";
import { VtctldCallError, goCodeName, type VtctldCall } from "./vtctld-conn.js";

type Handler = (req: unknown) => unknown;
const dir = mkdtempSync(join(tmpdir(), "vtctldclient-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI against fake handlers keyed by RPC name; returns exit code, stdout, stderr and the requests seen. */
async function cli(argv: string[], handlers: Record<string, Handler>) {
  const out: string[] = [];
  const err: string[] = [];
  const seen: Record<string, unknown> = {};
  const call = (async (method: { name: string; input: DescMessage; output: DescMessage }, req: never) => {
    const msg = create(method.input, req);
    seen[method.name] = msg;
    const h = handlers[method.name];
    if (h === undefined) throw new VtctldCallError("Unimplemented", `${method.name} not implemented`);
    return create(method.output, (await h(msg)) as never);
  }) as unknown as VtctldCall;
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), connect: async () => ({ call, close: () => {} }) });
  return { code, out: out.join("\n"), err: err.join("\n"), seen };
}

const tablet = (uid: number, shard: string, type: TabletType) => ({
  alias: { cell: "zone1", uid }, hostname: "127.0.0.1", portMap: { grpc: 16000 + uid, vt: 15000 + uid },
  keyspace: "commerce", shard, type, mysqlHostname: "127.0.0.1", mysqlPort: 17000 + uid,
  ...(type === TabletType.PRIMARY ? { primaryTermStartTime: { seconds: 1700000000n } } : {}),
});

describe("vtctldclient", () => {
  it("prints GetTablets one line per tablet like Vitess and passes the filters", async () => {
    const r = await cli(["--server", "h:1", "GetTablets", "--keyspace", "commerce", "--tablet-type", "PRIMARY"], {
      GetTablets: () => ({ tablets: [tablet(100, "-80", TabletType.PRIMARY), tablet(101, "-80", TabletType.REPLICA)] }),
    });
    expect(r.code).toBe(0);
    expect(r.out).toBe([
      "zone1-0000000100 commerce -80 primary 127.0.0.1:16100 127.0.0.1:17100 [] 2023-11-14T22:13:20Z",
      "zone1-0000000101 commerce -80 replica 127.0.0.1:16101 127.0.0.1:17101 [] <null>",
    ].join("\n"));
    expect(r.seen["GetTablets"]).toMatchObject({ keyspace: "commerce", tabletType: TabletType.PRIMARY });
  });

  it("prints proto3 JSON with snake_case names for GetVSchema", async () => {
    const r = await cli(["GetVSchema", "commerce", "--server=h:1"], {
      GetVSchema: () => ({ vSchema: { sharded: true, vindexes: { hash: { type: "hash" } }, tables: { users: { columnVindexes: [{ column: "user_id", name: "hash" }] } } } }),
    });
    const v = JSON.parse(r.out);
    expect(v.sharded).toBe(true);
    expect(v.tables.users.column_vindexes[0]).toMatchObject({ column: "user_id", name: "hash" });
    expect(v.require_explicit_routing).toBe(false);
  });

  it("sends ApplySchema --sql-file and ApplyVSchema --vschema-file/--dry-run", async () => {
    writeFileSync(join(dir, "s.sql"), "CREATE TABLE t (id INT);");
    writeFileSync(join(dir, "v.json"), '{"sharded": true, "vindexes": {"hash": {"type": "hash"}}}');
    const a = await cli(["--server", "h:1", "ApplySchema", "--sql-file", join(dir, "s.sql"), "commerce"], { ApplySchema: () => ({}) });
    expect(a.code).toBe(0);
    expect(a.seen["ApplySchema"]).toMatchObject({ keyspace: "commerce", sql: ["CREATE TABLE t (id INT);"], ddlStrategy: "direct" });
    const v = await cli(["--server", "h:1", "ApplyVSchema", "--vschema-file", join(dir, "v.json"), "--dry-run", "commerce"], {
      ApplyVSchema: (req) => ({ vSchema: (req as { vSchema: unknown }).vSchema }),
    });
    expect(v.code).toBe(0);
    expect(v.seen["ApplyVSchema"]).toMatchObject({ keyspace: "commerce", dryRun: true, vSchema: { sharded: true } });
    expect(v.out).toMatch(/^Dry run: Skipping update of VSchema\nNew VSchema object:\n\{/);
  });

  it("rejects invalid VSchema JSON before calling vtctld", async () => {
    const r = await cli(["--server", "h:1", "ApplyVSchema", "--vschema", "{not json", "commerce"], {});
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/invalid vschema JSON/);
    expect(r.seen["ApplyVSchema"]).toBeUndefined();
  });

  it("exits 1 with the gRPC code and message when vtctld fails", async () => {
    const r = await cli(["--server", "h:1", "GetKeyspace", "nope"], {
      GetKeyspace: () => { throw new VtctldCallError("NotFound", "node doesn't exist: keyspaces/nope/Keyspace"); },
    });
    expect(r.code).toBe(1);
    expect(r.err).toBe("Error: GetKeyspace: rpc error: code = NotFound desc = node doesn't exist: keyspaces/nope/Keyspace");
  });

  it.each([
    [["GetKeyspaces"], /--server is required/],
    [["--server", "h:1", "NoSuchCommand"], /unknown command "NoSuchCommand"/],
    [["--server", "h:1", "GetKeyspace"], /wrong number of arguments/],
    [["--server", "h:1", "GetTablets", "--bogus"], /unknown flag: --bogus/],
    [["--server", "h:1", "ApplySchema", "commerce"], /either --sql or --sql-file is required/],
  ])("usage errors: %j", async (argv, msg) => {
    const r = await cli(argv, {});
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(msg);
  });

  it("parses flags with dashes or underscores, repeated and comma lists, and shard names as positionals", () => {
    const p = parseArgs({ "tablet-type": { type: "string" }, cells: { type: "string", multi: true, commaList: true }, "dry-run": { type: "boolean" } },
      ["--tablet_type=primary", "--cells", "a,b", "--cells", "c", "--dry-run", "-80", "x"]);
    expect(p.flags.get("tablet-type")).toBe("primary");
    expect(p.flags.get("cells")).toEqual(["a", "b", "c"]);
    expect(p.flags.get("dry-run")).toBe(true);
    expect(p.positional).toEqual(["-80", "x"]);
    expect(() => parseArgs({}, ["--x"])).toThrow(UsageError);
    expect(parseDuration("30s")).toBe(30_000);
    expect(goCodeName("NOT_FOUND")).toBe("NotFound");
  });
});
