import { SqlError } from "@vt/errors";
import type { ApplySchemaRequest, SchemaDefinition } from "@vt/proto/tabletmanagerdata";
import type { DbConn } from "./db-conn.js";
import { quoteIdent, quoteString } from "./result-rows.js";
import { loadSchema } from "./schema-loader.js";

/** A schema's tables as "name: CREATE text" lines, for before/after comparison. */
const fingerprint = (s: SchemaDefinition): string =>
  s.tableDefinitions.map((t) => `${t.name}: ${t.schema}`).sort().join("\n");

function checkSame(what: string, want: SchemaDefinition | undefined, have: SchemaDefinition): void {
  if (want === undefined || fingerprint(want) === fingerprint(have)) return;
  throw new SqlError(1105, "HY000", `${what} differs from the tablet's schema:\nwant:\n${fingerprint(want)}\nhave:\n${fingerprint(have)}`,
    "FAILED_PRECONDITION");
}

/**
 * Vitess's ApplySchema on one tablet: reads the schema, checks it against `before_schema` (unless `force`), runs
 * `sql` in database `dbName` on an admin connection (binlogged only with `allow_replication`, so that by default a
 * change applied tablet by tablet does not also replicate; `sql_mode` and `disable_foreign_key_checks` honoured),
 * reads the schema again and checks `after_schema` (unless `force`). Returns both schemas. Throws MariaDB's SqlError
 * of the failing statement, or FAILED_PRECONDITION for a schema mismatch.
 */
export async function applySchema(db: DbConn, dbName: string, req: ApplySchemaRequest):
  Promise<{ beforeSchema: SchemaDefinition; afterSchema: SchemaDefinition }> {
  const beforeSchema = await loadSchema(db, dbName, { tableSchemaOnly: true });
  if (!req.force) checkSame("BeforeSchema", req.beforeSchema, beforeSchema);
  const pre = [`USE ${quoteIdent(dbName)}`];
  if (!req.allowReplication) pre.push("SET SESSION sql_log_bin = 0");
  if (req.disableForeignKeyChecks) pre.push("SET SESSION foreign_key_checks = 0");
  if (req.sqlMode !== "") pre.push(`SET SESSION sql_mode = ${quoteString(req.sqlMode)}`);
  await db.query(pre.join("; "));
  try {
    await db.query(req.sql);
  } finally {
    await db.query("SET SESSION sql_log_bin = 1, foreign_key_checks = 1, sql_mode = DEFAULT").catch(() => undefined);
  }
  const afterSchema = await loadSchema(db, dbName, { tableSchemaOnly: true });
  if (!req.force) checkSame("AfterSchema", req.afterSchema, afterSchema);
  return { beforeSchema, afterSchema };
}
