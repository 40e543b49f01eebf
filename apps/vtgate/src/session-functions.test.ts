import { describe, expect, it } from "vitest";
import { rewriteSessionFunctions, sessionFunctionBindVars } from "./session-functions.js";
import { Session } from "./session.js";

describe("rewriteSessionFunctions", () => {
  it("replaces whole select items and keeps their column names", () => {
    expect(rewriteSessionFunctions("select row_count(), last_insert_id() as id, database() from dual")).toEqual({
      sql: "select :__vtrowcount as `row_count()`, :__lastInsertId as id, :__vtdbname as `database()` from dual",
      needs: ["__vtrowcount", "__lastInsertId", "__vtdbname"],
    });
  });

  it("replaces calls inside expressions without aliasing them, and ignores other uses of the names", () => {
    expect(rewriteSessionFunctions("select 1 + CONNECTION_ID()")?.sql).toBe("select 1 + :__vtconnectionid");
    expect(rewriteSessionFunctions("select last_insert_id(5)")).toBeUndefined();
    expect(rewriteSessionFunctions("select `database` from t")).toBeUndefined();
    expect(rewriteSessionFunctions("select a from t where b = 'row_count()'")).toBeUndefined();
    expect(rewriteSessionFunctions("select s.database() from t")).toBeUndefined();
  });

  it("fills the bind variables from the session", () => {
    const s = new Session("commerce");
    s.rowCount = 3n;
    s.connectionId = 42;
    const bv = sessionFunctionBindVars(["__vtrowcount", "__vtconnectionid", "__vtdbname"], s);
    expect(new TextDecoder().decode(bv["__vtrowcount"]!.value)).toBe("3");
    expect(new TextDecoder().decode(bv["__vtconnectionid"]!.value)).toBe("42");
    expect(new TextDecoder().decode(bv["__vtdbname"]!.value)).toBe("commerce");
  });
});
