import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { APP_NODE_OPTIONS, REPO_ROOT } from "./app-processes.js";

const deploy = join(REPO_ROOT, "deploy");
type Obj = Record<string, unknown>;
const canon = (f: string): string => f.replace(/-/g, "_");

/** Flags an app accepts: its row in docs/contracts.md plus any flag name spelled in its sources. */
function acceptedFlags(app: string): (flag: string) => boolean {
  const contracts = readFileSync(join(REPO_ROOT, "docs", "contracts.md"), "utf8");
  const row = contracts.split("\n").find((l) => l.startsWith(`| ${app} |`)) ?? "";
  const topo = contracts.split("\n").find((l) => l.startsWith("Common topo flags")) ?? "";
  const listed = new Set([...`${row} ${topo}`.matchAll(/--([a-z][a-z0-9_-]*)/g)].map((m) => canon(m[1]!)));
  const srcDir = join(REPO_ROOT, "apps", app, "src");
  const src = readdirSync(srcDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => readFileSync(join(srcDir, f), "utf8")).join("\n");
  const srcCanon = canon(src);
  return (flag) => listed.has(canon(flag)) || srcCanon.includes(canon(flag));
}

/** The app (vtgate/vttablet/vtctld) a command runs, and the flags it passes. */
function appCommand(cmd: readonly string[]): { app: string; flags: string[] } | undefined {
  const text = cmd.join(" ");
  const m = /apps\/(vt[a-z]+)\/src\/main\.ts(.*)$/.exec(text);
  if (m === null || m[1] === "vtctldclient") return undefined;
  return { app: m[1]!, flags: [...m[2]!.matchAll(/(?:^|\s|")--([a-z][a-z0-9_-]*)/g)].map((x) => x[1]!) };
}

function k8sDocs(): Obj[] {
  return readdirSync(join(deploy, "k8s")).filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(join(deploy, "k8s", f), "utf8")).map((d) => d.toJSON() as Obj));
}

function containers(doc: Obj): Obj[] {
  const spec = (doc["spec"] as Obj | undefined)?.["template"] as Obj | undefined;
  return ((spec?.["spec"] as Obj | undefined)?.["containers"] as Obj[] | undefined) ?? [];
}

describe("deploy/docker-compose.yml", () => {
  const compose = parse(readFileSync(join(deploy, "docker-compose.yml"), "utf8"), { merge: true }) as { services: Record<string, Obj> };
  const svc = compose.services;

  it("has etcd, vtctld, vtgate and a MariaDB + vttablet pair per tablet", () => {
    expect(Object.keys(svc)).toEqual(expect.arrayContaining([
      "etcd", "vtctld", "vtgate", "mysql-100", "mysql-101", "mysql-200", "mysql-201",
      "vttablet-100", "vttablet-101", "vttablet-200", "vttablet-201",
    ]));
    expect(svc["vtgate"]!["ports"]).toContain("15306:15306");
    expect(svc["vtctld"]!["ports"]).toContain("15999:15999");
    expect(String(svc["mysql-100"]!["image"])).toMatch(/^mariadb:10\.11/);
    expect((svc["vtctld"]!["build"] as Obj)["dockerfile"]).toBe("deploy/Dockerfile");
  });

  it("runs vtgate with the launcher's node options", () => {
    const cmd = svc["vtgate"]!["command"] as string[];
    expect(cmd.slice(1, cmd.indexOf("--import"))).toEqual(APP_NODE_OPTIONS["vtgate"]);
  });

  it("passes only flags the apps accept, with the contract's ports and tablet layout", () => {
    for (const [name, s] of Object.entries(svc)) {
      const c = appCommand((s["command"] as string[] | undefined) ?? []);
      if (c === undefined) continue;
      const ok = acceptedFlags(c.app);
      for (const f of c.flags) expect(ok(f), `${name}: --${f}`).toBe(true);
    }
    const t = (svc["vttablet-201"]!["command"] as string[]).join(" ");
    expect(t).toContain("--tablet-path zone1-0000000201");
    expect(t).toContain("--init_shard 80-");
    expect(t).toContain("--init_tablet_type replica");
    expect(t).toContain("--grpc_port 16201");
    expect(t).toContain("--mysql_host mysql-201");
    expect((svc["mysql-201"]!["command"] as string[])).toContain("--server-id=201");
  });
});

describe("deploy/k8s", () => {
  const docs = k8sDocs();
  const byKind = (kind: string): Obj[] => docs.filter((d) => d["kind"] === kind);
  const name = (d: Obj): string => String((d["metadata"] as Obj)["name"]);

  it("has the etcd StatefulSet, vtctld/vtgate Deployments+Services and tablet StatefulSets", () => {
    expect(byKind("StatefulSet").map(name).sort()).toEqual(["etcd", "tablets-commerce-hi", "tablets-commerce-lo"]);
    expect(byKind("Deployment").map(name).sort()).toEqual(["vtctld", "vtgate"]);
    expect(byKind("Service").map(name)).toEqual(expect.arrayContaining(["etcd", "vtctld", "vtgate"]));
    for (const s of byKind("StatefulSet").filter((d) => name(d).startsWith("tablets-"))) {
      expect(containers(s).map((c) => c["name"])).toEqual(["mariadb", "vttablet"]);
      expect((s["spec"] as Obj)["replicas"]).toBe(2);
    }
  });

  it("runs vtgate with the launcher's node options", () => {
    const cmd = containers(byKind("Deployment").find((d) => name(d) === "vtgate")!)[0]!["command"] as string[];
    expect(cmd.slice(1, cmd.indexOf("--import"))).toEqual(APP_NODE_OPTIONS["vtgate"]);
  });

  it("exposes the contract's ports", () => {
    const ports = (n: string): number[] =>
      ((byKind("Service").find((d) => name(d) === n)!["spec"] as Obj)["ports"] as Obj[]).map((p) => Number(p["port"]));
    expect(ports("vtgate")).toEqual([15306, 15991]);
    expect(ports("vtctld")).toEqual([15999]);
    expect(ports("etcd")).toContain(2379);
    expect(ports("tablets-commerce-lo")).toContain(16100);
  });

  it("passes only flags the apps accept", () => {
    for (const d of [...byKind("Deployment"), ...byKind("StatefulSet")]) {
      for (const c of containers(d)) {
        const cmd = appCommand((c["command"] as string[] | undefined) ?? []);
        if (cmd === undefined) continue;
        const ok = acceptedFlags(cmd.app);
        expect(cmd.flags.length).toBeGreaterThan(3);
        for (const f of cmd.flags) expect(ok(f), `${name(d)}/${String(c["name"])}: --${f}`).toBe(true);
      }
    }
  });
});
