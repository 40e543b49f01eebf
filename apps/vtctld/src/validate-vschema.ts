import type { Keyspace as VSchemaKeyspace } from "@vt/proto/vschema";
import { unknownParams, type VindexRegistry } from "@vt/vindexes";
import { vtErr } from "./deps.js";

/** The outcome of a successful validation: unknown vindex params per vindex (reported, not fatal). */
export interface VSchemaCheck {
  readonly unknownVindexParams: Record<string, { params: string[] }>;
}

/**
 * Validates a keyspace VSchema the way Vitess's BuildKeyspace does: every vindex type is known and builds with
 * its params; every column vindex names a defined vindex and a column; each sharded table (not reference or
 * sequence) has a unique primary vindex first. Throws SqlError INVALID_ARGUMENT with the keyspace named.
 */
export function validateVSchema(keyspace: string, vs: VSchemaKeyspace, registry: VindexRegistry): VSchemaCheck {
  const fail = (msg: string): never => {
    throw vtErr("INVALID_ARGUMENT", `invalid VSchema for keyspace ${keyspace}: ${msg}`);
  };
  const unique = new Map<string, boolean>();
  const unknownVindexParams: Record<string, { params: string[] }> = {};
  for (const [name, v] of Object.entries(vs.vindexes)) {
    if (v.type === "") fail(`vindex "${name}" has no type`);
    if (!registry.has(v.type)) fail(`vindexType "${v.type}" not found`);
    try {
      const vindex = registry.create(v.type, name, v.params, v.owner || undefined);
      unique.set(name, vindex.isUnique);
      const unknown = unknownParams(vindex);
      if (unknown.length > 0) unknownVindexParams[name] = { params: [...unknown] };
    } catch (e) {
      fail(`vindex "${name}" (type ${v.type}): ${(e as Error).message}`);
    }
  }
  for (const [tname, t] of Object.entries(vs.tables)) {
    if (!vs.sharded && t.columnVindexes.length > 0) fail(`unsharded keyspace cannot have column vindexes (table ${tname})`);
    t.columnVindexes.forEach((cv, i) => {
      if (cv.name === "") fail(`table "${tname}": column vindex ${i} has no vindex name`);
      if (!unique.has(cv.name)) fail(`vindex "${cv.name}" not found for table "${tname}"`);
      if (cv.column === "" && cv.columns.length === 0) fail(`table "${tname}": vindex "${cv.name}" has no column`);
    });
    if (!vs.sharded || t.type === "reference" || t.type === "sequence") continue;
    const primary = t.columnVindexes[0];
    if (primary === undefined) fail(`missing primary col vindex for table: ${tname}`);
    else if (!unique.get(primary.name)) fail(`primary vindex ${primary.name} is not Unique for table ${tname}`);
  }
  return { unknownVindexParams };
}
