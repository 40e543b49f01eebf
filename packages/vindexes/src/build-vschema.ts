// Builds the immutable VSchema snapshot from a SrvVSchema (proto3 JSON): keyspaces, sequences, reference sources,
// global table names and routing rules. One bad keyspace gets `error` set; the others keep working.
import { SqlError } from "@vt/errors";
import { type BuiltKeyspace, type KeyspaceBuildOptions, type MutableTable, buildKeyspace, splitQualified } from "./keyspace-schema-builder.js";
import type { VindexRegistry } from "./vindex-registry.js";
import type { KeyspaceSchema, VSchema, VSchemaTable } from "./vschema-types.js";
import { FIELDS, jsonArray, jsonMap, jsonObject, jsonString, vschemaError } from "./vschema-json.js";

interface KsState {
  schema: KeyspaceSchema;
  tables: Map<string, MutableTable>;
  built?: BuiltKeyspace;
}

function failed(name: string, json: unknown, err: unknown): KsState {
  const o = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  const schema: KeyspaceSchema = {
    keyspace: { name, sharded: o["sharded"] === true },
    tables: new Map(), vindexes: new Map(),
    requireExplicitRouting: (o["require_explicit_routing"] ?? o["requireExplicitRouting"]) === true,
    error: SqlError.from(err, "INVALID_ARGUMENT"),
  };
  return { schema, tables: new Map() };
}

function setError(st: KsState, err: SqlError): void {
  if (!st.schema.error) st.schema = { ...st.schema, error: err };
}

/** Finds `ks.t` (or a table name unique across keyspaces when ks is empty). */
function findTable(states: Map<string, KsState>, ks: string, t: string): MutableTable | string {
  if (ks) {
    const st = states.get(ks);
    if (!st) return `keyspace ${ks} not found in vschema`;
    return st.tables.get(t) ?? `table ${t} not found`;
  }
  const hits = [...states.values()].map((s) => s.tables.get(t)).filter((x): x is MutableTable => x !== undefined);
  if (hits.length === 1) return hits[0]!;
  return hits.length === 0 ? `table ${t} not found` : `ambiguous table reference: ${t}`;
}

function resolveAutoIncrements(states: Map<string, KsState>): void {
  for (const st of states.values()) {
    for (const p of st.built?.autoIncrements ?? []) {
      const [ks, seq] = splitQualified(p.sequence);
      const found = findTable(states, ks, seq);
      if (typeof found === "string") {
        st.tables.delete(p.table.name);
        setError(st, new SqlError(1105, "HY000", `cannot resolve sequence ${p.sequence}: ${found}`, "NOT_FOUND"));
        continue;
      }
      p.table.autoIncrement = { column: p.column, sequence: found };
    }
  }
}

function checkReferenceSources(states: Map<string, KsState>): void {
  for (const st of states.values()) {
    for (const t of [...st.tables.values()]) {
      if (!t.source) continue;
      const [sks, stab] = splitQualified(t.source);
      let msg = "";
      const src = states.get(sks);
      if (!sks) msg = `invalid source ${JSON.stringify(t.source)} for reference table ${t.name}: must be keyspace.table`;
      else if (sks === t.keyspace.name) msg = `source ${JSON.stringify(t.source)} may not reference a table in the same keyspace as table: ${t.name}`;
      else if (!src) msg = `source ${JSON.stringify(t.source)} references a non-existent keyspace ${JSON.stringify(sks)}`;
      else if (src.schema.keyspace.sharded) msg = `source ${JSON.stringify(t.source)} may not reference a sharded keyspace`;
      else if (!src.tables.has(stab)) msg = `source ${JSON.stringify(t.source)} references a table ${JSON.stringify(stab)} that is not present in the VSchema of keyspace ${JSON.stringify(sks)}`;
      if (msg) {
        st.tables.delete(t.name);
        setError(st, vschemaError(msg));
      }
    }
  }
}

const referencesKeyspace = (t: VSchemaTable, ks: string): boolean =>
  t.type === "reference" && t.source !== undefined && splitQualified(t.source)[0] === ks;

function buildGlobalTables(states: Map<string, KsState>): { global: Map<string, VSchemaTable>; ambiguous: Set<string> } {
  const slots = new Map<string, VSchemaTable | null>();
  for (const st of states.values()) {
    if (st.schema.requireExplicitRouting || st.schema.error) continue;
    for (const [name, t] of st.tables) {
      const prev = slots.get(name);
      if (prev === undefined) slots.set(name, t);
      else if (prev === null) continue;
      else if (referencesKeyspace(t, prev.keyspace.name)) slots.set(name, t);
      else if (referencesKeyspace(prev, t.keyspace.name)) continue;
      else slots.set(name, null);
    }
  }
  const global = new Map<string, VSchemaTable>();
  const ambiguous = new Set<string>();
  for (const [name, t] of slots) if (t) global.set(name, t); else ambiguous.add(name);
  return { global, ambiguous };
}

/** A routing-rule target: `ks.t`; in an unsharded keyspace a table missing from the vschema is synthesised. */
function ruleTarget(states: Map<string, KsState>, to: string): VSchemaTable {
  const [ks, t] = splitQualified(to.replace(/@\w+$/, ""));
  if (!ks) throw vschemaError(`table ${to} must be qualified`);
  const st = states.get(ks);
  if (!st) throw vschemaError(`keyspace ${ks} not found in vschema`);
  const found = st.tables.get(t);
  if (found) return found;
  if (st.schema.keyspace.sharded) throw vschemaError(`table ${t} not found in keyspace ${ks}`);
  return { name: t, keyspace: st.schema.keyspace, type: "", columnVindexes: [], ownedVindexes: [], columns: [], columnListAuthoritative: false };
}

function buildRoutingRules(states: Map<string, KsState>, json: unknown) {
  const rules = new Map<string, readonly VSchemaTable[]>();
  const errors = new Map<string, Error>();
  const rr = jsonObject(json, "routing_rules", FIELDS.routingRules);
  for (const [i, raw] of jsonArray(rr["rules"], "routing_rules.rules").entries()) {
    const r = jsonObject(raw, `routing_rules.rules[${i}]`, FIELDS.routingRule);
    const from = jsonString(r["from_table"], `routing_rules.rules[${i}].from_table`);
    const to = jsonArray(r["to_tables"], `routing_rules.rules[${i}].to_tables`).map((x) => jsonString(x, `routing_rules.rules[${i}].to_tables`));
    if (rules.has(from) || errors.has(from)) {
      rules.delete(from);
      errors.set(from, vschemaError(`duplicate rule for entry ${from}`));
      continue;
    }
    if (to.length > 1) {
      errors.set(from, vschemaError(`table ${from} has more than one target: [${to.join(" ")}]`));
      continue;
    }
    try {
      rules.set(from, to.map((t) => ruleTarget(states, t)));
    } catch (e) {
      errors.set(from, SqlError.from(e));
    }
  }
  return { rules, errors };
}

/** Shard ("from_ks.shard" → to_ks) and keyspace (from_ks → to_ks) routing rules. */
function buildSimpleRules(json: unknown, what: "shard_routing_rules" | "keyspace_routing_rules"): Map<string, string> {
  const out = new Map<string, string>();
  const rr = jsonObject(json, what, FIELDS.routingRules);
  const fields = what === "shard_routing_rules" ? FIELDS.shardRoutingRule : FIELDS.keyspaceRoutingRule;
  for (const [i, raw] of jsonArray(rr["rules"], `${what}.rules`).entries()) {
    const r = jsonObject(raw, `${what}.rules[${i}]`, fields);
    const from = jsonString(r["from_keyspace"], `${what}.rules[${i}].from_keyspace`);
    const to = jsonString(r["to_keyspace"], `${what}.rules[${i}].to_keyspace`);
    out.set(what === "shard_routing_rules" ? `${from}.${jsonString(r["shard"], `${what}.rules[${i}].shard`)}` : from, to);
  }
  return out;
}

/**
 * Builds a VSchema from the proto3-JSON form of a SrvVSchema (snake_case or lowerCamel keys). A keyspace whose
 * vschema is invalid (or whose auto_increment/reference source cannot be resolved) gets `error` set and serves no
 * tables; the rest of the snapshot is still usable. Throws only when the top-level object itself is malformed.
 * Unknown vindex params are warnings here (KeyspaceSchema.warnings) unless `strict` is set.
 */
export function buildVSchema(srvVSchemaJson: unknown, registry: VindexRegistry, opts: KeyspaceBuildOptions = {}): VSchema {
  const srv = jsonObject(srvVSchemaJson, "SrvVSchema", FIELDS.srvVSchema);
  const states = new Map<string, KsState>();
  for (const [name, ksJson] of jsonMap(srv["keyspaces"], "SrvVSchema.keyspaces")) {
    try {
      const built = buildKeyspace(name, ksJson, registry, opts);
      states.set(name, { schema: { ...built.schema, ...(built.warnings.length ? { warnings: built.warnings } : {}) }, tables: built.tables, built });
    } catch (e) {
      states.set(name, failed(name, ksJson, e));
    }
  }
  resolveAutoIncrements(states);
  checkReferenceSources(states);
  const { global, ambiguous } = buildGlobalTables(states);
  const { rules, errors } = buildRoutingRules(states, srv["routing_rules"]);
  const keyspaces = new Map<string, KeyspaceSchema>();
  for (const [name, st] of states) {
    keyspaces.set(name, st.schema.error ? { ...st.schema, tables: new Map() } : { ...st.schema, tables: st.tables as ReadonlyMap<string, VSchemaTable> });
  }
  return {
    keyspaces, globalTables: global, ambiguousTables: ambiguous, routingRules: rules, routingRuleErrors: errors,
    shardRoutingRules: buildSimpleRules(srv["shard_routing_rules"], "shard_routing_rules"),
    keyspaceRoutingRules: buildSimpleRules(srv["keyspace_routing_rules"], "keyspace_routing_rules"),
  };
}

