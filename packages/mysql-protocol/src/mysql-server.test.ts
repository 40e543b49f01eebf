import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthenticatedUser, AuthMethod, AuthRequest, AuthServer } from "./auth/auth-server.js";
import { accessDenied, AuthServerStatic } from "./auth/auth-server-static.js";
import { MysqlServer } from "./mysql-server.js";
import { CannedHandler } from "./testing/canned-handler.js";

const run = promisify(execFile);

/** Forces caching_sha2_password and fails its fast path, so only full authentication (cleartext over TLS) works. */
class FullAuthOnly implements AuthServer {
  readonly defaultMethod: AuthMethod = "caching_sha2_password";
  readonly methods: string[] = [];
  methodFor(): AuthMethod {
    return "caching_sha2_password";
  }
  validate(req: AuthRequest): AuthenticatedUser {
    this.methods.push(req.method);
    if (req.method === "mysql_clear_password" && req.authResponse.toString().replace(/\0$/, "") === "pw") {
      return { user: req.user, userData: "", groups: [] };
    }
    throw accessDenied(req.user, true);
  }
}
const dir = mkdtempSync(join(tmpdir(), "mysql-protocol-"));
const handler = new CannedHandler();
let server: MysqlServer;
let port = 0;
let tlsServer: MysqlServer;
let tlsPort = 0;
let sha2Server: MysqlServer;
let sha2Port = 0;
const fullAuth = new FullAuthOnly();
let staticServer: MysqlServer;
let staticPort = 0;
const sockPath = join(dir, "mysql.sock");

beforeAll(async () => {
  server = new MysqlServer({ handler, serverVersion: "10.11.6-MariaDB" });
  port = (await server.listen(0)).port;
  await server.listenUnix(sockPath);
  await run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"),
    "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=localhost"]);
  const { readFileSync } = await import("node:fs");
  tlsServer = new MysqlServer({
    handler, tls: { cert: readFileSync(join(dir, "cert.pem")), key: readFileSync(join(dir, "key.pem")) },
    requireSecureTransport: true,
  });
  tlsPort = (await tlsServer.listen(0)).port;
  sha2Server = new MysqlServer({
    handler, tls: { cert: readFileSync(join(dir, "cert.pem")), key: readFileSync(join(dir, "key.pem")) },
    authServer: fullAuth, maxConnections: 2, idleTimeoutMs: 300,
  });
  sha2Port = (await sha2Server.listen(0)).port;
  const authFile = join(dir, "auth.json");
  writeFileSync(authFile, JSON.stringify({
    alice: [{ Password: "secret", UserData: "alice-data" }],
    hashed: [{ MysqlNativePassword: "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7" }], // "secret"
    local: [{ Password: "pw", SourceHost: "localhost" }],
    nopw: [{ Password: "" }],
  }));
  staticServer = new MysqlServer({ handler, authServer: AuthServerStatic.fromFile(authFile) });
  staticPort = (await staticServer.listen(0)).port;
});

afterAll(async () => {
  await Promise.all([server?.close(), tlsServer?.close(), staticServer?.close(), sha2Server?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const connect = (opts: mysql.ConnectionOptions = {}) =>
  mysql.createConnection({ host: "127.0.0.1", port, user: "u", password: "p", ...opts });

describe("mysql2 client, text protocol", () => {
  it("runs queries, reports types, errors and OK fields", async () => {
    const c = await connect({ database: "db", multipleStatements: true });
    try {
      expect((await c.query("select 1"))[0]).toEqual([{ 1: 1 }]);
      const [rows] = await c.query("select * from t");
      expect(rows).toMatchObject([
        { id: 1, name: "alice", u: 4000000000, d: "12.50", f: 1.5, tm: "-01:02:03", b: Buffer.from([0, 1]), n: null },
        { id: -2, name: "bob ☃", u: 0, d: "-0.01", f: -2.25e10, tm: "100:00:00", n: 7 },
      ]);
      const [ok] = await c.query("insert into x values (1)");
      expect(ok).toMatchObject({ affectedRows: 3, insertId: 77, warningStatus: 1, info: "Records: 3", serverStatus: 2 });
      await expect(c.query("error")).rejects.toMatchObject({ errno: 1146, sqlState: "42S02" });
      await expect(c.query("crash")).rejects.toMatchObject({ errno: 1105, sqlState: "HY000", message: "boom" });
      expect((await c.query("select database()"))[0]).toEqual([{ "database()": "db" }]);
      await c.changeUser({ user: "v", password: "q" });
      expect((await c.query("select database()"))[0]).toEqual([{ "database()": "db" }]); // mysql2 resends its database
      await c.changeUser({ user: "v", password: "q", database: "db2" });
      expect((await c.query("select database()"))[0]).toEqual([{ "database()": "db2" }]);
    } finally {
      c.destroy();
    }
  });

  it("multi-statements give several results; status flags follow the session", async () => {
    const c = await connect({ multipleStatements: true });
    try {
      const [res] = await c.query("select 1; insert; select 2");
      expect(res).toMatchObject([[{ 1: 1 }], { affectedRows: 1 }, [{ 2: 2 }]]);
      const [begin] = await c.query("begin");
      expect((begin as mysql.ResultSetHeader).serverStatus & 1).toBe(1);
      const [commit] = await c.query("commit");
      expect((commit as mysql.ResultSetHeader).serverStatus & 1).toBe(0);
      await c.query("select 1"); // connection still fine
    } finally {
      c.destroy();
    }
  });

  it("unknown database in handshake and COM_INIT_DB gives 1049", async () => {
    await expect(connect({ database: "nosuch" })).rejects.toMatchObject({ errno: 1049 });
    const c = await connect();
    try {
      await expect(c.query("use nosuch")).rejects.toMatchObject({ errno: 1064 }); // goes through COM_QUERY
      await expect(c.changeUser({ database: "nosuch" })).rejects.toMatchObject({ errno: 1049 });
    } finally {
      c.destroy();
    }
  });

  it("ping, and connection ids increase", async () => {
    const a = await connect();
    const b = await connect();
    try {
      await a.ping();
      expect(b.threadId).toBeGreaterThan(a.threadId!);
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it("packets above 16 MiB in both directions", async () => {
    const c = await connect();
    try {
      const big = "select len " + "x".repeat(17 * 1024 * 1024);
      expect((await c.query(big))[0]).toEqual([{ len: Buffer.byteLength(big) }]);
      const [rows] = await c.query("select big 17000000");
      expect((rows as { big: Buffer }[])[0]?.big.length).toBe(17000000);
    } finally {
      c.destroy();
    }
  });
});

describe("mysql2 client, binary protocol", () => {
  it("prepares and executes with every common parameter type", async () => {
    const c = await connect();
    try {
      const [rows] = await c.execute("select * from t where id = ?", [1]);
      expect(rows).toMatchObject([
        { id: 1, name: "alice", u: 4000000000, d: "12.50", f: 1.5, tm: "-01:02:03", b: Buffer.from([0, 1]), n: null },
        { id: -2, name: "bob ☃", f: -2.25e10, n: 7 },
      ]);
      const dt = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
      const [echo] = await c.execute("select ?, ?, ?, ?, ?", [7, "héllo", null, Buffer.from([1, 2]), 1.25]);
      expect(echo).toEqual([{ p0: "7", p1: "héllo", p2: null, p3: "\x01\x02", p4: "1.25" }]);
      const [ok] = await c.execute("update t set a = ?", [dt]);
      expect(ok).toMatchObject({ affectedRows: 1, insertId: 5 });
      await expect(c.execute("error ?", [1])).rejects.toMatchObject({ errno: 1146 });
      c.unprepare("select ?, ?, ?, ?, ?");
      await c.query("select 1");
    } finally {
      c.destroy();
    }
  });
});

describe("auth", () => {
  const s = (user: string, password: string, extra: mysql.ConnectionOptions = {}) =>
    mysql.createConnection({ host: "127.0.0.1", port: staticPort, user, password, ...extra });

  it("static file: right password in, wrong password 1045/28000", async () => {
    const c = await s("alice", "secret");
    c.destroy();
    const h = await s("hashed", "secret");
    h.destroy();
    const n = await s("nopw", "");
    n.destroy();
    await expect(s("alice", "wrong")).rejects.toMatchObject({ errno: 1045, sqlState: "28000" });
    await expect(s("nobody", "x")).rejects.toMatchObject({ errno: 1045 });
    await expect(s("local", "pw")).rejects.toMatchObject({ errno: 1045 }); // localhost-only entry over TCP
    const d = await s("alice", "secret");
    await d.changeUser({ user: "hashed", password: "secret" });
    await expect(d.changeUser({ user: "alice", password: "bad" })).rejects.toMatchObject({ errno: 1045 });
    d.destroy();
  });

  it("caching_sha2_password client is served (fast path) or switched", async () => {
    const c = await s("alice", "secret", { authPlugins: {} });
    c.destroy();
  });

  it("TLS with require_secure_transport", async () => {
    const c = await mysql.createConnection({ host: "127.0.0.1", port: tlsPort, user: "u", password: "p", ssl: { rejectUnauthorized: false } });
    try {
      expect((await c.query("select 1"))[0]).toEqual([{ 1: 1 }]);
    } finally {
      c.destroy();
    }
    await expect(mysql.createConnection({ host: "127.0.0.1", port: tlsPort, user: "u", password: "p" }))
      .rejects.toMatchObject({ errno: 3159 });
  });

  it("caching_sha2_password full authentication over TLS (auth switch, 0x04, cleartext)", async () => {
    const opts = { host: "127.0.0.1", port: sha2Port, user: "u", ssl: { rejectUnauthorized: false } };
    const c = await mysql.createConnection({ ...opts, password: "pw" });
    c.destroy();
    expect(fullAuth.methods.slice(0, 2)).toEqual(["caching_sha2_password", "mysql_clear_password"]);
    await expect(mysql.createConnection({ ...opts, password: "bad" })).rejects.toMatchObject({ errno: 1045 });
  });

  it("max connections (1040) and idle timeout", async () => {
    const opts = { host: "127.0.0.1", port: sha2Port, user: "u", password: "pw", ssl: { rejectUnauthorized: false } };
    while (sha2Server.connectionCount > 0) await new Promise((r) => setTimeout(r, 10));
    const a = await mysql.createConnection(opts);
    const b = await mysql.createConnection(opts);
    await expect(mysql.createConnection(opts)).rejects.toMatchObject({ errno: 1040 });
    const closed = new Promise((resolve) => a.on("error", resolve));
    await closed; // idle timeout (300 ms) drops it
    a.destroy();
    b.destroy();
  });

  it("unix socket", async () => {
    const c = await mysql.createConnection({ socketPath: sockPath, user: "u", password: "p" });
    try {
      expect((await c.query("select 1"))[0]).toEqual([{ 1: 1 }]);
    } finally {
      c.destroy();
    }
  });
});

describe("mariadb CLI", () => {
  const cli = (args: string[]) => run("mariadb", ["--no-defaults", "-h127.0.0.1", "-uu", "-pp", "-N", "-B", ...args], { timeout: 10000 });

  it("runs queries in batch mode", async () => {
    const { stdout } = await cli([`-P${port}`, "-e", "select * from t"]);
    expect(stdout.split("\n")[0]).toBe("1\talice\t4000000000\t12.50\t1.5\t2024-01-02 03:04:05\t2024-01-02\t-01:02:03\t\\0\\x01\tNULL".replace("\\x01", "\x01"));
  });

  it("shows errors with errno and SQLSTATE", async () => {
    await expect(cli([`-P${port}`, "-e", "error"])).rejects.toMatchObject({ stderr: expect.stringContaining("ERROR 1146 (42S02)") });
  });

  it("over TLS and with a database", async () => {
    const { stdout } = await cli([`-P${tlsPort}`, "--ssl", "-Ddb", "-e", "select database()"]);
    expect(stdout.trim()).toBe("db");
  });

  it("static auth wrong password", async () => {
    await expect(run("mariadb", ["--no-defaults", "-h127.0.0.1", `-P${staticPort}`, "-ualice", "-pbad", "-e", "select 1"], { timeout: 10000 }))
      .rejects.toMatchObject({ stderr: expect.stringContaining("ERROR 1045 (28000)") });
  });
});
