import { describe, expect, it } from "vitest";
import { matchSessionCommand, unquote } from "./session-commands.js";

const m = (sql: string) => matchSessionCommand(sql, sql.trim().split(/\s+/)[0]!.toLowerCase());

describe("matchSessionCommand", () => {
  it("recognises SET NAMES / CHARACTER SET with an optional collation", () => {
    expect(m("SET NAMES utf8mb4")).toEqual({ kind: "SetNames", charset: "utf8mb4" });
    expect(m("set names 'utf8mb4' collate 'utf8mb4_general_ci';")).toEqual({ kind: "SetNames", charset: "utf8mb4", collation: "utf8mb4_general_ci" });
    expect(m("SET CHARACTER SET latin1")).toEqual({ kind: "SetNames", charset: "latin1" });
  });

  it("recognises SET TRANSACTION in its scopes and characteristics", () => {
    expect(m("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")).toEqual({ kind: "SetTransaction", scope: "session", isolation: "READ COMMITTED" });
    expect(m("SET TRANSACTION READ ONLY")).toEqual({ kind: "SetTransaction", scope: "next", readOnly: true });
    expect(m("SET GLOBAL TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE")).toEqual({ kind: "SetTransaction", scope: "global", isolation: "SERIALIZABLE", readOnly: false });
    expect(m("SET TRANSACTION sideways")).toBeUndefined();
  });

  it("recognises SQL PREPARE / EXECUTE / DEALLOCATE", () => {
    expect(m("PREPARE s1 FROM 'SELECT ''a'', ? FROM t'")).toEqual({ kind: "Prepare", name: "s1", text: "SELECT 'a', ? FROM t" });
    expect(m("PREPARE `My Stmt` FROM @sql")).toEqual({ kind: "Prepare", name: "my stmt", fromVar: "sql" });
    expect(m("EXECUTE s1 USING @a, @B")).toEqual({ kind: "Execute", name: "s1", using: ["a", "b"] });
    expect(m("EXECUTE s1")).toEqual({ kind: "Execute", name: "s1", using: [] });
    expect(m("DEALLOCATE PREPARE s1")).toEqual({ kind: "Deallocate", name: "s1" });
    expect(m("DROP PREPARE s1")).toEqual({ kind: "Deallocate", name: "s1" });
    expect(m("DROP TABLE s1")).toBeUndefined();
  });

  it("recognises KILL and SHOW WARNINGS/ERRORS, and leaves other statements to the parser", () => {
    expect(m("KILL 12")).toEqual({ kind: "Kill", query: false, id: 12 });
    expect(m("KILL QUERY 12")).toEqual({ kind: "Kill", query: true, id: 12 });
    expect(m("KILL CONNECTION 3")).toEqual({ kind: "Kill", query: false, id: 3 });
    expect(m("SHOW WARNINGS LIMIT 10")).toEqual({ kind: "ShowWarnings", errorsOnly: false, count: false });
    expect(m("SHOW COUNT(*) ERRORS")).toEqual({ kind: "ShowWarnings", errorsOnly: true, count: true });
    expect(m("SHOW TABLES")).toBeUndefined();
    expect(m("SET autocommit = 0")).toBeUndefined();
    expect(matchSessionCommand("SELECT 1", "select")).toBeUndefined();
  });

  it("unquotes SQL string bodies", () => {
    expect(unquote("it''s a \\\\ \\n", "'")).toBe("it's a \\ \n");
  });
});
