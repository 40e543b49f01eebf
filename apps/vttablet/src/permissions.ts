import { create } from "@bufbuild/protobuf";
import { createHash } from "node:crypto";
import { DbPermissionSchema, PermissionsSchema, UserPermissionSchema, type Permissions } from "@vt/proto/tabletmanagerdata";
import type { DbConn } from "./db-conn.js";
import { rowsAsObjects } from "./result-rows.js";

const SECRET_COLUMNS = new Set(["Password", "authentication_string"]);

/** A stable 64-bit checksum of a password hash, so permissions can be compared without exposing it. */
const checksum = (s: string): bigint => (s === "" ? 0n : createHash("sha256").update(s).digest().readBigUInt64BE(0));

/**
 * The instance's users (mysql.user) and database grants (mysql.db), as Vitess's GetPermissions reports them:
 * every privilege column in `privileges`, the password only as a checksum. Sorted by host, user (and db).
 */
export async function getPermissions(db: DbConn): Promise<Permissions> {
  const [users] = await db.query("SELECT * FROM mysql.user ORDER BY Host, User");
  const [dbs] = await db.query("SELECT * FROM mysql.db ORDER BY Host, Db, User");
  const userPermissions = (users ? rowsAsObjects(users) : []).map((u) => {
    const privileges: Record<string, string> = {};
    for (const [k, v] of Object.entries(u)) if (k !== "Host" && k !== "User" && !SECRET_COLUMNS.has(k)) privileges[k] = v ?? "";
    const secret = u["authentication_string"] || u["Password"] || "";
    return create(UserPermissionSchema, { host: u["Host"] ?? "", user: u["User"] ?? "", passwordChecksum: checksum(secret), privileges });
  });
  const dbPermissions = (dbs ? rowsAsObjects(dbs) : []).map((d) => {
    const privileges: Record<string, string> = {};
    for (const [k, v] of Object.entries(d)) if (k !== "Host" && k !== "User" && k !== "Db") privileges[k] = v ?? "";
    return create(DbPermissionSchema, { host: d["Host"] ?? "", db: d["Db"] ?? "", user: d["User"] ?? "", privileges });
  });
  return create(PermissionsSchema, { userPermissions, dbPermissions });
}
