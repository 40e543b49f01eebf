import { clone, create } from "@bufbuild/protobuf";
import { AutoIncrementSchema, ColumnVindexSchema, KeyspaceSchema, TableSchema, VindexSchema, type Keyspace } from "@vt/proto/vschema";
import { vtErr } from "./deps.js";

const ID = "`?([A-Za-z0-9_$]+)`?";
const QID = `(?:${ID}\\.)?${ID}`;

function params(withClause: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (withClause === undefined) return out;
  for (const kv of withClause.split(",")) {
    const m = /^\s*`?([A-Za-z0-9_]+)`?\s*=\s*(?:'([^']*)'|"([^"]*)"|(\S+))\s*$/.exec(kv);
    if (m === null) throw vtErr("INVALID_ARGUMENT", `bad vindex parameter: ${kv.trim()}`);
    out[m[1]!] = m[2] ?? m[3] ?? m[4] ?? "";
  }
  return out;
}

/**
 * Applies one `ALTER VSCHEMA ...` statement to a copy of `current` and returns it. Supported forms:
 * CREATE VINDEX v USING type [WITH k=v, ...]; DROP VINDEX v; ADD TABLE t; DROP TABLE t; ADD SEQUENCE s;
 * ON t ADD VINDEX v (c1[, c2]) [USING type [WITH ...]]; ON t DROP VINDEX v;
 * ON t ADD AUTO_INCREMENT col USING seq; ON t DROP AUTO_INCREMENT. Throws SqlError INVALID_ARGUMENT otherwise.
 */
export function alterVSchema(current: Keyspace, sql: string, keyspace: string): Keyspace {
  const vs = clone(KeyspaceSchema, current);
  const s = sql.trim().replace(/;$/, "").replace(/\s+/g, " ");
  const checkKs = (ks: string | undefined): void => {
    if (ks !== undefined && ks !== keyspace) throw vtErr("INVALID_ARGUMENT", `keyspace ${ks} does not match ${keyspace}`);
  };
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^alter vschema create vindex ${QID} using ${ID}(?: with (.+))?$`, "i").exec(s))) {
    checkKs(m[1]);
    if (vs.vindexes[m[2]!]) throw vtErr("ALREADY_EXISTS", `vindex ${m[2]} already exists`);
    vs.vindexes[m[2]!] = create(VindexSchema, { type: m[3]!, params: params(m[4]), owner: "" });
  } else if ((m = new RegExp(`^alter vschema drop vindex ${QID}$`, "i").exec(s))) {
    checkKs(m[1]);
    if (!vs.vindexes[m[2]!]) throw vtErr("NOT_FOUND", `vindex ${m[2]} does not exist`);
    delete vs.vindexes[m[2]!];
  } else if ((m = new RegExp(`^alter vschema add (table|sequence) ${QID}$`, "i").exec(s))) {
    checkKs(m[2]);
    if (vs.tables[m[3]!]) throw vtErr("ALREADY_EXISTS", `table ${m[3]} already exists`);
    vs.tables[m[3]!] = create(TableSchema, m[1]!.toLowerCase() === "sequence" ? { type: "sequence" } : {});
  } else if ((m = new RegExp(`^alter vschema drop table ${QID}$`, "i").exec(s))) {
    checkKs(m[1]);
    if (!vs.tables[m[2]!]) throw vtErr("NOT_FOUND", `table ${m[2]} does not exist`);
    delete vs.tables[m[2]!];
  } else if ((m = new RegExp(`^alter vschema on ${QID} add vindex ${ID} ?\\(([^)]*)\\)(?: using ${ID}(?: with (.+))?)?$`, "i").exec(s))) {
    checkKs(m[1]);
    const [table, vindex, cols, type, withs] = [m[2]!, m[3]!, m[4]!, m[5], m[6]];
    const columns = cols.split(",").map((c) => c.trim().replace(/`/g, "")).filter((c) => c !== "");
    if (type !== undefined) {
      const existing = vs.vindexes[vindex];
      if (existing && existing.type !== type) throw vtErr("INVALID_ARGUMENT", `vindex ${vindex} exists with a different type`);
      if (!existing) vs.vindexes[vindex] = create(VindexSchema, { type, params: params(withs), owner: "" });
    } else if (!vs.vindexes[vindex]) throw vtErr("NOT_FOUND", `vindex ${vindex} does not exist`);
    const t = vs.tables[table] ?? create(TableSchema, {});
    if (t.columnVindexes.some((cv) => cv.name === vindex)) throw vtErr("ALREADY_EXISTS", `vindex ${vindex} already defined on table ${table}`);
    t.columnVindexes.push(columns.length === 1
      ? create(ColumnVindexSchema, { column: columns[0]!, name: vindex })
      : create(ColumnVindexSchema, { name: vindex, columns }));
    vs.tables[table] = t;
  } else if ((m = new RegExp(`^alter vschema on ${QID} drop vindex ${ID}$`, "i").exec(s))) {
    checkKs(m[1]);
    const t = vs.tables[m[2]!];
    const i = t?.columnVindexes.findIndex((cv) => cv.name === m![3]) ?? -1;
    if (t === undefined || i < 0) throw vtErr("NOT_FOUND", `vindex ${m[3]} not defined on table ${m[2]}`);
    t.columnVindexes.splice(i, 1);
  } else if ((m = new RegExp(`^alter vschema on ${QID} add auto_increment ${ID} using ${QID}$`, "i").exec(s))) {
    checkKs(m[1]);
    const t = vs.tables[m[2]!];
    if (t === undefined) throw vtErr("NOT_FOUND", `table ${m[2]} does not exist`);
    t.autoIncrement = create(AutoIncrementSchema, { column: m[3]!, sequence: m[4] ? `${m[4]}.${m[5]}` : m[5]! });
  } else if ((m = new RegExp(`^alter vschema on ${QID} drop auto_increment$`, "i").exec(s))) {
    checkKs(m[1]);
    const t = vs.tables[m[2]!];
    if (t === undefined) throw vtErr("NOT_FOUND", `table ${m[2]} does not exist`);
    t.autoIncrement = undefined;
  } else {
    throw vtErr("INVALID_ARGUMENT", `unsupported ALTER VSCHEMA statement: ${sql}`);
  }
  return vs;
}
