// Builds one keyspace's part of the VSchema from its Vitess JSON (vschema.Keyspace), with precise errors.
import { Type } from "@vt/sqltypes";
import { isConsistentLookup, isLookup, isMultiColumn } from "./vindex-guards.js";
import { type VindexRegistry, unknownParams } from "./vindex-registry.js";
import type { ColumnVindex, KeyspaceInfo, KeyspaceSchema, TableType, Vindex, VSchemaTable } from "./vschema-types.js";
import { FIELDS, type JsonObject, jsonArray, jsonBool, jsonMap, jsonObject, jsonParams, jsonString, vschemaError } from "./vschema-json.js";

/** A table under construction (VSchemaTable with writable links, filled in by later passes). */
export interface MutableTable {
  name: string;
  keyspace: KeyspaceInfo;
  type: TableType;
  columnVindexes: ColumnVindex[];
  ownedVindexes: ColumnVindex[];
  autoIncrement?: { column: string; sequence: VSchemaTable };
  columns: { name: string; type: number }[];
  columnListAuthoritative: boolean;
  pinned?: Uint8Array;
  source?: string;
}

/** An `auto_increment` whose sequence table is resolved once every keyspace is built. */
export interface PendingAutoIncrement {
  readonly table: MutableTable;
  readonly column: string;
  readonly sequence: string;
}

/** A built keyspace plus what later, cross-keyspace passes need. */
export interface BuiltKeyspace {
  readonly schema: KeyspaceSchema;
  readonly tables: Map<string, MutableTable>;
  readonly autoIncrements: readonly PendingAutoIncrement[];
  /** Non-fatal findings (unknown vindex params when not strict). */
  readonly warnings: readonly string[];
}

/** Options for building a keyspace. */
export interface KeyspaceBuildOptions {
  /** Unknown vindex params are errors (true, as `ApplyVSchema --strict`) or warnings (false). */
  readonly strict?: boolean;
}

const TYPE_NAMES = new Map<string, number>(Object.entries(Type));
const TYPE_NUMBERS = new Set<number>(Object.values(Type));

function columnType(v: unknown, where: string): number {
  if (v === undefined || v === null) return Type.NULL_TYPE;
  if (typeof v === "number" && TYPE_NUMBERS.has(v)) return v;
  if (typeof v === "string" && TYPE_NAMES.has(v.toUpperCase())) return TYPE_NAMES.get(v.toUpperCase())!;
  throw vschemaError(`${where}: unknown column type ${JSON.stringify(v)}`);
}

function buildVindexes(ks: string, obj: JsonObject, registry: VindexRegistry, strict: boolean, warnings: string[]) {
  const vindexes = new Map<string, Vindex>();
  const owners = new Map<string, string>();
  for (const [vname, raw] of jsonMap(obj["vindexes"], `keyspace ${ks} vindexes`)) {
    const where = `vindex ${vname} in keyspace ${ks}`;
    const vj = jsonObject(raw, where, FIELDS.vindex);
    const type = jsonString(vj["type"], `${where}: type`);
    if (!type) throw vschemaError(`${where}: missing vindex type`);
    const owner = jsonString(vj["owner"], `${where}: owner`);
    let v: Vindex;
    try {
      v = registry.create(type, vname, jsonParams(vj["params"], where), owner || undefined);
    } catch (e) {
      throw vschemaError(`${where}: ${(e as Error).message}`);
    }
    const unknown = unknownParams(v);
    if (unknown.length > 0) {
      const msg = `${where}: unknown params for vindex type ${type}: ${unknown.join(", ")}`;
      if (strict) throw vschemaError(msg);
      warnings.push(msg);
    }
    vindexes.set(vname, v);
    if (owner) owners.set(vname, owner);
  }
  return { vindexes, owners };
}

function buildColumnVindex(ks: KeyspaceInfo, tname: string, raw: unknown, i: number, vindexes: Map<string, Vindex>, owners: Map<string, string>): ColumnVindex {
  const where = `column_vindexes[${i}] of table ${tname} in keyspace ${ks.name}`;
  const cj = jsonObject(raw, where, FIELDS.columnVindex);
  const name = jsonString(cj["name"], `${where}: name`);
  const vindex = vindexes.get(name);
  if (!vindex) throw vschemaError(`vindex ${name} not found for table ${tname} in keyspace ${ks.name}`);
  const column = jsonString(cj["column"], `${where}: column`);
  const list = jsonArray(cj["columns"], `${where}: columns`).map((c, j) => jsonString(c, `${where}: columns[${j}]`));
  if (column && list.length > 0) throw vschemaError(`can't use column and columns at the same time in vindex (${name}) and table (${tname})`);
  const columns = column ? [column] : list;
  if (columns.length === 0 || columns.some((c) => c === "")) throw vschemaError(`must specify at least one column for vindex (${name}) and table (${tname})`);
  if (!isMultiColumn(vindex) && !isLookup(vindex) && columns.length > 1) {
    throw vschemaError(`vindex ${name} of table ${tname} takes a single column, got ${columns.length}: ${columns.join(", ")}`);
  }
  if (isLookup(vindex) && columns.length !== vindex.fromColumns.length) {
    throw vschemaError(`vindex ${name} of table ${tname} has ${vindex.fromColumns.length} from column(s), table gives ${columns.length}`);
  }
  const owned = isLookup(vindex) && owners.get(name) === tname;
  if (i === 0) {
    if (!vindex.isUnique) throw vschemaError(`primary vindex ${name} is not Unique for table ${tname}`);
    if (owned) throw vschemaError(`primary vindex ${name} cannot be owned for table ${tname}`);
  }
  if (owned && isConsistentLookup(vindex)) vindex.setOwnerInfo(ks.name, tname, columns);
  return { columns, name, vindex, isUnique: vindex.isUnique, cost: vindex.cost, owned };
}

function buildTable(ks: KeyspaceInfo, tname: string, raw: unknown, vindexes: Map<string, Vindex>, owners: Map<string, string>, pending: PendingAutoIncrement[]): MutableTable {
  const where = `table ${tname} in keyspace ${ks.name}`;
  const tj = jsonObject(raw, where, FIELDS.table);
  const type = jsonString(tj["type"], `${where}: type`);
  if (type !== "" && type !== "sequence" && type !== "reference") throw vschemaError(`unidentified table type ${type} for ${where}`);
  const t: MutableTable = {
    name: tname, keyspace: ks, type, columnVindexes: [], ownedVindexes: [], columns: [],
    columnListAuthoritative: jsonBool(tj["column_list_authoritative"], `${where}: column_list_authoritative`),
  };
  const pinned = jsonString(tj["pinned"], `${where}: pinned`);
  if (pinned) {
    if (!/^([0-9a-fA-F]{2})+$/.test(pinned)) throw vschemaError(`could not decode the keyspace id for pin: ${pinned} (${where})`);
    t.pinned = Uint8Array.from(Buffer.from(pinned, "hex"));
  }
  if (type === "sequence" && ks.sharded && !t.pinned) throw vschemaError(`sequence table has to be in an unsharded keyspace or must be pinned: ${tname}`);
  const source = jsonString(tj["source"], `${where}: source`);
  if (source) {
    if (type !== "reference") throw vschemaError(`source is only allowed for reference tables: ${where}`);
    t.source = source;
  }
  const seen = new Set<string>();
  for (const [i, c] of jsonArray(tj["columns"], `${where}: columns`).entries()) {
    const cj = jsonObject(c, `columns[${i}] of ${where}`, FIELDS.column);
    const name = jsonString(cj["name"], `columns[${i}] of ${where}: name`);
    if (!name) throw vschemaError(`columns[${i}] of ${where}: missing name`);
    if (seen.has(name.toLowerCase())) throw vschemaError(`duplicate column name '${name}' for table: ${tname}`);
    seen.add(name.toLowerCase());
    t.columns.push({ name, type: columnType(cj["type"], `column ${name} of ${where}`) });
  }
  const cvs = jsonArray(tj["column_vindexes"], `${where}: column_vindexes`);
  if (cvs.length > 0 && (type === "reference" || type === "sequence")) throw vschemaError(`${type} table ${tname} cannot have vindexes (keyspace ${ks.name})`);
  for (const [i, c] of cvs.entries()) {
    const cv = buildColumnVindex(ks, tname, c, i, vindexes, owners);
    t.columnVindexes.push(cv);
    if (cv.owned) t.ownedVindexes.push(cv);
  }
  t.ownedVindexes.sort((a, b) => a.cost - b.cost);
  if (ks.sharded && type === "" && !t.pinned && t.columnVindexes.length === 0) throw vschemaError(`missing primary col vindex for table: ${tname} (keyspace ${ks.name})`);
  if (tj["auto_increment"] !== undefined && tj["auto_increment"] !== null) {
    const aj = jsonObject(tj["auto_increment"], `auto_increment of ${where}`, FIELDS.autoIncrement);
    const column = jsonString(aj["column"], `auto_increment of ${where}: column`);
    const sequence = jsonString(aj["sequence"], `auto_increment of ${where}: sequence`);
    if (!column || !sequence) throw vschemaError(`auto_increment of ${where} needs both column and sequence`);
    pending.push({ table: t, column, sequence });
  }
  return t;
}

/**
 * Builds one keyspace from its vschema JSON (tables not yet linked to sequences in other keyspaces).
 * Throws SqlError (1105, INVALID_ARGUMENT) naming the keyspace/table/vindex/param at fault.
 */
export function buildKeyspace(name: string, json: unknown, registry: VindexRegistry, opts: KeyspaceBuildOptions = {}): BuiltKeyspace {
  const obj = jsonObject(json, `keyspace ${name}`, FIELDS.keyspace);
  const keyspace: KeyspaceInfo = { name, sharded: jsonBool(obj["sharded"], `keyspace ${name}: sharded`) };
  const warnings: string[] = [];
  const { vindexes, owners } = buildVindexes(name, obj, registry, opts.strict ?? false, warnings);
  const tables = new Map<string, MutableTable>();
  const pending: PendingAutoIncrement[] = [];
  for (const [tname, raw] of jsonMap(obj["tables"], `keyspace ${name} tables`)) {
    tables.set(tname, buildTable(keyspace, tname, raw, vindexes, owners, pending));
  }
  for (const [vname, owner] of owners) {
    if (!tables.has(owner)) warnings.push(`vindex ${vname} in keyspace ${name}: owner table ${owner} not found`);
  }
  const schema: KeyspaceSchema = {
    keyspace, tables: tables as ReadonlyMap<string, VSchemaTable>, vindexes,
    requireExplicitRouting: jsonBool(obj["require_explicit_routing"], `keyspace ${name}: require_explicit_routing`),
  };
  return { schema, tables, autoIncrements: pending, warnings };
}

/** Sequence names "ks.seq" → [ks, seq]; "seq" → ["", seq]; backquotes are stripped. */
export function splitQualified(s: string): [string, string] {
  const clean = (x: string) => x.replace(/^`|`$/g, "");
  const m = /^(`[^`]+`|[^.`]+)\.(`[^`]+`|[^.`]+)$/.exec(s);
  return m ? [clean(m[1]!), clean(m[2]!)] : ["", clean(s)];
}

/**
 * Validates one keyspace's vschema JSON as `ApplyVSchema` would: unknown JSON fields, unknown vindex types and
 * params (strict by default), missing vindexes, primary vindex rules, bad columns, sequence/reference rules, and
 * sequences named in the same keyspace. Throws SqlError naming the element; returns the keyspace schema.
 */
export function validateKeyspaceVSchema(name: string, json: unknown, registry: VindexRegistry, opts: KeyspaceBuildOptions = {}): KeyspaceSchema {
  const built = buildKeyspace(name, json, registry, { strict: opts.strict ?? true });
  for (const p of built.autoIncrements) {
    const [ks, seq] = splitQualified(p.sequence);
    if ((ks === "" || ks === name) && built.tables.has(seq) && built.tables.get(seq)!.type !== "sequence") {
      throw vschemaError(`auto_increment of table ${p.table.name}: ${p.sequence} is not a sequence table`);
    }
  }
  for (const t of built.tables.values()) {
    if (t.source) {
      const [sks] = splitQualified(t.source);
      if (!sks) throw vschemaError(`invalid source ${t.source} for reference table ${t.name}: must be qualified as keyspace.table`);
      if (sks === name) throw vschemaError(`source ${t.source} for reference table ${t.name} cannot be in the same keyspace`);
    }
  }
  return built.schema;
}
