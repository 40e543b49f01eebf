// Every vtctldclient command of issue 6, run as an operator would (the CLI as a child process from the repo root)
// against a real cluster: exit codes and output shapes (Vitess's JSON with proto field names, awk-style tablet lines,
// `Error: ...` plus a non-zero exit on failure).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadClusterSpec, startCluster, type LocalCluster } from "@vt/localcluster";
import { repoRoot } from "./cluster.js";
import { ctl, vtctldclient } from "./vtctldclient-cli.js";

const P100 = "zone1-0000000100";
const R101 = "zone1-0000000101";
const R201 = "zone1-0000000201";

describe("vtctldclient against a real cluster", () => {
  let cluster: LocalCluster;
  let dir: string;
  let s: string;
  const json = async (...args: string[]): Promise<Record<string, unknown>> => JSON.parse(await ctl(s, ...args)) as Record<string, unknown>;
  const fails = async (pattern: RegExp, ...args: string[]): Promise<void> => {
    const r = await vtctldclient(s, ...args);
    expect(r.code, `${args.join(" ")}: ${r.stdout}`).not.toBe(0);
    expect(r.stderr).toMatch(pattern);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "vt-e2e-ctl-"));
    cluster = await startCluster(loadClusterSpec(join(repoRoot, "packages/localcluster/examples/local.json"), repoRoot), {
      dataDir: join(dir, "data"), ports: "auto", vtgate: false,
    });
    s = cluster.ctldAddr;
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs as `npx vtctldclient` from the repo root: GetVersion", async () => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile("npx", ["vtctldclient", "--server", s, "GetVersion", P100], { cwd: repoRoot, timeout: 60_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`)); else resolve(stdout);
      });
    });
    expect(out.trim()).toMatch(/\S/);
  });

  it("cells: AddCellInfo, GetCellInfoNames, GetCellInfo", async () => {
    expect(await ctl(s, "AddCellInfo", "--root", "/vitess/zone2", "--server-address", cluster.etcdEndpoint, "zone2")).toMatch(/Created cell: zone2/);
    expect((await ctl(s, "GetCellInfoNames")).trim().split("\n").sort()).toEqual(["zone1", "zone2"]);
    expect(await json("GetCellInfo", "zone2")).toMatchObject({ root: "/vitess/zone2", server_address: cluster.etcdEndpoint });
    await fails(/exists|ALREADY_EXISTS/i, "AddCellInfo", "--root", "/vitess/zone2", "zone2");
    await fails(/not ?found|NOT_FOUND|no ?node/i, "GetCellInfo", "nosuchcell");
    await ctl(s, "DeleteCellInfo", "zone2");
    expect((await ctl(s, "GetCellInfoNames")).trim()).toBe("zone1");
  });

  it("keyspaces and shards: Create/Get/Find/Delete", async () => {
    expect(await ctl(s, "CreateKeyspace", "ks2")).toMatch(/Successfully created keyspace ks2/);
    expect(await json("GetKeyspace", "ks2")).toHaveProperty("name", "ks2");
    const all = JSON.parse(await ctl(s, "GetKeyspaces")) as { name: string }[];
    expect(all.map((k) => k.name).sort()).toEqual(["commerce", "ks2"]);
    expect(await json("CreateShard", "ks2/0")).toHaveProperty("shard");
    expect(await json("GetShard", "ks2/0")).toMatchObject({ keyspace: "ks2", name: "0" });
    expect(Object.keys(await json("FindAllShardsInKeyspace", "commerce")).sort()).toEqual(["-80", "80-"]);
    expect(Object.keys(await json("FindAllShardsInKeyspace", "ks2"))).toEqual(["0"]);
    // A new shard is primary-serving, so Vitess (and we) refuse to delete it without --even-if-serving.
    await fails(/--even-if-serving/, "DeleteShards", "ks2/0");
    expect(await ctl(s, "DeleteShards", "--even-if-serving", "ks2/0")).toMatch(/deleted/i);
    expect(await json("FindAllShardsInKeyspace", "ks2")).toEqual({});
    expect(await ctl(s, "DeleteKeyspace", "ks2")).toMatch(/Successfully deleted keyspace ks2/);
    await fails(/not ?found|NOT_FOUND|no ?node/i, "GetKeyspace", "ks2");
  });

  it("tablets: GetTablet, GetTablets with filters, PingTablet, RefreshState, GetVersion", async () => {
    const t = await json("GetTablet", P100) as { alias: { cell: string; uid: number }; keyspace: string; shard: string; type: string };
    expect(t).toMatchObject({ alias: { cell: "zone1", uid: 100 }, keyspace: "commerce", shard: "-80", type: "PRIMARY" });
    const lines = (out: string): string[][] => out.trim().split("\n").map((l) => l.split(" "));
    const every = lines(await ctl(s, "GetTablets"));
    expect(every.map((l) => l.slice(0, 4).join(" "))).toEqual([
      `${P100} commerce -80 primary`, `${R101} commerce -80 replica`, "zone1-0000000200 commerce 80- primary", `${R201} commerce 80- replica`,
    ]);
    expect(every[0]!.length).toBe(8);
    expect(lines(await ctl(s, "GetTablets", "--keyspace", "commerce", "--shard", "-80")).map((l) => l[0])).toEqual([P100, R101]);
    expect(lines(await ctl(s, "GetTablets", "--tablet-type", "replica")).map((l) => l[0])).toEqual([R101, R201]);
    const asJson = JSON.parse(await ctl(s, "GetTablets", "--keyspace", "commerce", "--format", "json")) as unknown[];
    expect(asJson).toHaveLength(4);
    expect((await vtctldclient(s, "PingTablet", R101)).code).toBe(0);
    expect(await ctl(s, "RefreshState", R101)).toMatch(/Refreshed state on/);
    await fails(/--shard requires --keyspace/, "GetTablets", "--shard", "-80");
  });

  it("tablets: ChangeTabletType, SetWritable, ExecuteFetchAsDBA, ExecuteFetchAsApp", async () => {
    const changed = await ctl(s, "ChangeTabletType", R201, "rdonly");
    expect(changed).toMatch(new RegExp(`^- ${R201} commerce 80- replica .*\\n\\+ ${R201} commerce 80- rdonly `, "m"));
    expect((await ctl(s, "GetTablets", "--tablet-type", "rdonly")).trim().split(" ")[0]).toBe(R201);
    await ctl(s, "ChangeTabletType", R201, "replica");
    await fails(/primary|PRIMARY/i, "ChangeTabletType", R201, "primary");

    expect(await ctl(s, "ExecuteFetchAsDBA", P100, "SELECT 1 + 1 AS two")).toMatch(/two[\s\S]*\b2\b/);
    const j = await json("ExecuteFetchAsDBA", "--json", P100, "SELECT @@read_only AS ro") as { rows: unknown[] };
    expect(JSON.stringify(j)).toMatch(/ro/);
    await ctl(s, "SetWritable", R101, "false");
    expect(JSON.stringify(await json("ExecuteFetchAsDBA", "--json", R101, "SELECT @@read_only AS ro"))).toMatch(/"1"|\b1\b/);
    expect(await ctl(s, "ExecuteFetchAsApp", P100, "SELECT COUNT(*) AS n FROM users")).toMatch(/\bn\b/);
    await fails(/1146|doesn't exist/, "ExecuteFetchAsApp", P100, "SELECT * FROM no_such_table");
  });

  it("schema: ApplySchema (--sql, --sql-file, --ddl-strategy direct), GetSchema, ReloadSchemaKeyspace", async () => {
    await ctl(s, "ApplySchema", "--ddl-strategy", "direct", "--sql", "CREATE TABLE t1 (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(10))", "commerce");
    const file = join(dir, "alter.sql");
    writeFileSync(file, "ALTER TABLE t1 ADD COLUMN w INT;\nCREATE TABLE t2 (id BIGINT PRIMARY KEY);\n");
    await ctl(s, "ApplySchema", "--sql-file", file, "commerce");
    const names = (await ctl(s, "GetSchema", "--table-names-only", P100)).trim().split("\n").sort();
    expect(names).toEqual(expect.arrayContaining(["orders", "t1", "t2", "users"]));
    const schema = await json("GetSchema", "--tables", "t1", "zone1-0000000200") as { table_definitions: { name: string; schema: string }[] };
    expect(schema.table_definitions.map((t) => t.name)).toEqual(["t1"]);
    expect(schema.table_definitions[0]!.schema).toMatch(/`w` int/i);
    // A statement that fails on every shard: non-zero exit naming the shards.
    await fails(/-80|80-/, "ApplySchema", "--sql", "CREATE TABLE t1 (id INT)", "commerce");
    await fails(/unsupported --ddl-strategy/, "ApplySchema", "--ddl-strategy", "vitess", "--sql", "CREATE TABLE t3 (id INT)", "commerce");
    expect((await vtctldclient(s, "ReloadSchemaKeyspace", "--include-primary", "commerce")).code).toBe(0);
  });

  it("VSchema: GetVSchema, ApplyVSchema (--vschema, --vschema-file, --dry-run, --sql), RebuildVSchemaGraph, GetSrvVSchema", async () => {
    const vs = await json("GetVSchema", "commerce") as { sharded: boolean; vindexes: Record<string, { type: string }>; tables: Record<string, unknown> };
    expect(vs.sharded).toBe(true);
    expect(vs.vindexes["hash"]!.type).toBe("hash");
    const withT1 = { ...vs, tables: { ...vs.tables, t1: { column_vindexes: [{ column: "id", name: "hash" }] } } };
    expect(await ctl(s, "ApplyVSchema", "--dry-run", "--vschema", JSON.stringify(withT1), "commerce")).toMatch(/Dry run/);
    expect(Object.keys((await json("GetVSchema", "commerce") as typeof vs).tables)).not.toContain("t1");
    expect(await ctl(s, "ApplyVSchema", "--vschema", JSON.stringify(withT1), "commerce")).toMatch(/New VSchema object/);
    const file = join(dir, "vschema.json");
    writeFileSync(file, JSON.stringify({ ...withT1, tables: { ...withT1.tables, t2: { column_vindexes: [{ column: "id", name: "hash" }] } } }));
    await ctl(s, "ApplyVSchema", "--vschema-file", file, "commerce");
    await ctl(s, "ApplyVSchema", "--sql", "ALTER VSCHEMA ON commerce.t3 ADD VINDEX hash(id) USING hash", "commerce");
    const after = await json("GetVSchema", "commerce") as typeof vs;
    expect(Object.keys(after.tables).sort()).toEqual(["orders", "t1", "t2", "t3", "users"]);
    // Invalid VSchemas are refused and the stored one is unchanged.
    const bad = { ...after, vindexes: { ...after.vindexes, nope: { type: "no_such_vindex_type" } } };
    await fails(/no_such_vindex_type/, "ApplyVSchema", "--vschema", JSON.stringify(bad), "commerce");
    const missing = { ...after, tables: { ...after.tables, t4: { column_vindexes: [{ column: "id", name: "missing_vindex" }] } } };
    await fails(/missing_vindex/, "ApplyVSchema", "--vschema", JSON.stringify(missing), "commerce");
    expect(await json("GetVSchema", "commerce")).toEqual(after);

    expect((await vtctldclient(s, "RebuildVSchemaGraph")).code).toBe(0);
    const srv = await json("GetSrvVSchema", "zone1") as { keyspaces: Record<string, { tables: Record<string, unknown> }> };
    expect(Object.keys(srv.keyspaces["commerce"]!.tables)).toContain("t3");
  });

  it("serving graph: RebuildKeyspaceGraph, GetSrvKeyspaces", async () => {
    expect((await vtctldclient(s, "RebuildKeyspaceGraph", "commerce")).code).toBe(0);
    const srv = await json("GetSrvKeyspaces", "commerce") as Record<string, { partitions: { served_type: string; shard_references: { name: string }[] }[] }>;
    const primary = srv["zone1"]!.partitions.find((p) => p.served_type === "PRIMARY")!;
    expect(primary.shard_references.map((r) => r.name)).toEqual(["-80", "80-"]);
  });

  it("routing rules: Get/Apply(Shard)RoutingRules", async () => {
    expect(await json("GetRoutingRules")).toEqual({ rules: [] });
    const rules = { rules: [{ from_table: "commerce.old_users", to_tables: ["commerce.users"] }] };
    expect(await ctl(s, "ApplyRoutingRules", "--rules", JSON.stringify(rules))).toMatch(/New RoutingRules object/);
    expect(await json("GetRoutingRules")).toEqual(rules);
    const file = join(dir, "rr.json");
    writeFileSync(file, JSON.stringify({ rules: [] }));
    await ctl(s, "ApplyRoutingRules", "--rules-file", file);
    expect(await json("GetRoutingRules")).toEqual({ rules: [] });

    expect(await json("GetShardRoutingRules")).toEqual({ rules: [] });
    const srr = { rules: [{ from_keyspace: "commerce", to_keyspace: "commerce", shard: "-80" }] };
    expect(await ctl(s, "ApplyShardRoutingRules", "--rules", JSON.stringify(srr))).toMatch(/New ShardRoutingRules object/);
    expect(await json("GetShardRoutingRules")).toEqual(srr);
    await ctl(s, "ApplyShardRoutingRules", "--rules", "{}");
    await fails(/rules/, "ApplyRoutingRules", "--rules", "{not json");
  });

  it("beyond the issue's list: cells aliases, permissions, health, replication positions, schema/VSchema validation", async () => {
    await ctl(s, "AddCellsAlias", "--cells", "zone1", "region1");
    expect(await json("GetCellsAliases")).toEqual({ region1: { cells: ["zone1"] } });
    await fails(/already in alias/, "AddCellsAlias", "--cells", "zone1", "region2");
    await ctl(s, "DeleteCellsAlias", "region1");
    expect(await json("GetCellsAliases")).toEqual({});

    expect(JSON.stringify(await json("GetPermissions", P100))).toMatch(/user_permissions/);
    expect((await vtctldclient(s, "RunHealthCheck", R101)).code).toBe(0);
    expect((await vtctldclient(s, "SleepTablet", R101, "100ms")).code).toBe(0);
    const pos = (await ctl(s, "ShardReplicationPositions", "commerce/-80")).trim().split("\n").map((l) => l.split(" "));
    expect(pos.map((l) => `${l[0]} ${l[3]}`)).toEqual([`${P100} primary`, `${R101} replica`]);
    expect(pos[0]![6]).toMatch(/^MariaDB\/\d+-\d+-\d+/);

    await ctl(s, "ApplySchema", "--sql", "CREATE TABLE t5 (id BIGINT PRIMARY KEY)", "commerce");
    const vv = await json("ValidateVSchema", "commerce") as { results: string[] };
    expect(vv.results).toEqual([
      "commerce/-80 has tables that are not in the vschema: [t5]", "commerce/80- has tables that are not in the vschema: [t5]",
    ]);
    expect(await json("ValidateVSchema", "--exclude-tables", "t5", "commerce")).toMatchObject({ results: [] });
    // Replicas got every DDL through replication: all schemas agree (retry while the last DDL replicates).
    let vs: { results: string[] } = { results: ["?"] };
    for (let i = 0; i < 20 && vs.results.length > 0; i++) {
      vs = await json("ValidateSchemaKeyspace", "commerce") as { results: string[] };
      if (vs.results.length > 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(vs.results).toEqual([]);
    await ctl(s, "ExecuteFetchAsDBA", "--disable-binlogs", R201, "CREATE TABLE only_here (id INT PRIMARY KEY)");
    expect((await json("ValidateSchemaKeyspace", "commerce") as { results: string[] }).results)
      .toEqual([`${R201} has an extra table named only_here (not on ${P100})`]);
  });

  it("validation: ValidateKeyspace, Validate; DeleteTablets last", async () => {
    expect(await json("ValidateKeyspace", "--ping-tablets", "commerce")).toMatchObject({ results: [] });
    expect(await json("Validate", "--ping-tablets")).toMatchObject({ results: [] });
    await fails(/primary/i, "DeleteTablets", P100);
    expect((await vtctldclient(s, "DeleteTablets", R201)).code).toBe(0);
    await fails(/not ?found|NOT_FOUND|no ?node/i, "GetTablet", R201);
  });

  it("usage errors exit 2; an unreachable server fails with a clear message", async () => {
    const r = await vtctldclient(s, "NoSuchCommand");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/NoSuchCommand/);
    const down = await vtctldclient("127.0.0.1:1", "GetKeyspaces", "--action_timeout", "2s");
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/Error/);
  });
});
