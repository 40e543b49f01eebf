import { describe, expect, it } from "vitest";
import { AuthServerStatic } from "./auth-server-static.js";
import { generateScramble, nativePasswordHash, scrambleCachingSha2, scrambleNativePassword } from "./scramble.js";

const req = (user: string, method: "mysql_native_password" | "caching_sha2_password" | "mysql_clear_password",
  response: (s: Buffer) => Buffer, unixSocket = false) => {
  const scramble = generateScramble();
  return { user, method, scramble, authResponse: response(scramble), secure: false, unixSocket, remoteAddress: "x" };
};

describe("scramble", () => {
  it("native password hash matches MySQL's PASSWORD('secret')", () => {
    expect("*" + nativePasswordHash("secret").toString("hex").toUpperCase()).toBe("*14E65567ABDB5135D0CFD9A70B3032C179A49EE7");
  });

  it("scrambles contain no NUL and are 20 bytes", () => {
    const s = generateScramble();
    expect(s.length).toBe(20);
    expect(s.includes(0)).toBe(false);
  });
});

describe("AuthServerStatic", () => {
  const auth = AuthServerStatic.fromJson(JSON.stringify({
    alice: [{ Password: "secret", UserData: "ud", Groups: ["g"] }, { Password: "other" }],
    legacy: { Password: "pw" },
    hashed: [{ MysqlNativePassword: "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7" }],
    sock: [{ Password: "pw", SourceHost: "localhost" }],
    empty: [{ Password: "" }],
  }));

  it("accepts any matching entry and returns UserData/Groups", () => {
    expect(auth.validate(req("alice", "mysql_native_password", (s) => scrambleNativePassword(s, "secret"))))
      .toEqual({ user: "alice", userData: "ud", groups: ["g"] });
    expect(auth.validate(req("alice", "mysql_native_password", (s) => scrambleNativePassword(s, "other"))).user).toBe("alice");
    expect(auth.validate(req("legacy", "mysql_native_password", (s) => scrambleNativePassword(s, "pw"))).user).toBe("legacy");
    expect(auth.validate(req("hashed", "mysql_native_password", (s) => scrambleNativePassword(s, "secret"))).user).toBe("hashed");
    expect(auth.validate(req("empty", "mysql_native_password", () => Buffer.alloc(0))).user).toBe("empty");
    expect(auth.validate(req("alice", "caching_sha2_password", (s) => scrambleCachingSha2(s, "secret"))).user).toBe("alice");
    expect(auth.validate(req("alice", "mysql_clear_password", () => Buffer.from("secret\0"))).user).toBe("alice");
    expect(auth.validate(req("sock", "mysql_native_password", (s) => scrambleNativePassword(s, "pw"), true)).user).toBe("sock");
  });

  it.each([
    ["wrong password", req("alice", "mysql_native_password", (s) => scrambleNativePassword(s, "nope"))],
    ["unknown user", req("bob", "mysql_native_password", (s) => scrambleNativePassword(s, "secret"))],
    ["empty password given for a user with one", req("alice", "mysql_native_password", () => Buffer.alloc(0))],
    ["password given for the empty one", req("empty", "mysql_native_password", (s) => scrambleNativePassword(s, "x"))],
    ["localhost entry over TCP", req("sock", "mysql_native_password", (s) => scrambleNativePassword(s, "pw"))],
    ["sha2 for a hash-only user", req("hashed", "caching_sha2_password", (s) => scrambleCachingSha2(s, "secret"))],
  ])("denies: %s (1045/28000)", (_n, r) => {
    expect(() => auth.validate(r)).toThrow(expect.objectContaining({ errno: 1045, sqlState: "28000" }));
  });

  it("switches hash-only users to mysql_native_password", () => {
    expect(auth.methodFor("alice", "caching_sha2_password")).toBe("caching_sha2_password");
    expect(auth.methodFor("hashed", "caching_sha2_password")).toBe("mysql_native_password");
    expect(auth.methodFor("alice", "dialog")).toBe("mysql_native_password");
  });

  it("rejects a malformed file", () => {
    expect(() => AuthServerStatic.fromJson("[]")).toThrow();
    expect(() => AuthServerStatic.fromJson("{")).toThrow();
  });
});
