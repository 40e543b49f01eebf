// Reading proto3-JSON VSchema objects: snake_case or lowerCamel keys, strict field sets, typed accessors.
import { SqlError } from "@vt/errors";

/** A JSON object with keys normalised to snake_case. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Error for an invalid vschema (errno 1105, INVALID_ARGUMENT), message naming the offending element. */
export function vschemaError(msg: string): SqlError {
  return new SqlError(1105, "HY000", msg, "INVALID_ARGUMENT");
}

const toSnake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Normalises an object's keys to snake_case and rejects keys outside `known`.
 * Throws `unknown field "x" in <where>` or `<where> must be an object`.
 */
export function jsonObject(v: unknown, where: string, known: readonly string[]): JsonObject {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw vschemaError(`${where} must be a JSON object`);
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    const sk = toSnake(k);
    if (!known.includes(sk)) throw vschemaError(`unknown field "${k}" in ${where}`);
    out[sk] = val;
  }
  return out;
}

/** A map field (object of name → value); absent → empty. */
export function jsonMap(v: unknown, where: string): [string, unknown][] {
  if (v === undefined || v === null) return [];
  if (typeof v !== "object" || Array.isArray(v)) throw vschemaError(`${where} must be a JSON object`);
  return Object.entries(v);
}

/** A string field; absent → "". */
export function jsonString(v: unknown, where: string): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw vschemaError(`${where} must be a string`);
  return v;
}

/** A boolean field; absent → false. */
export function jsonBool(v: unknown, where: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw vschemaError(`${where} must be a boolean`);
  return v;
}

/** An array field; absent → []. */
export function jsonArray(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw vschemaError(`${where} must be a JSON array`);
  return v;
}

/** A map<string,string> (vindex params): values must be strings (numbers/booleans are stringified leniently). */
export function jsonParams(v: unknown, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of jsonMap(v, where)) {
    if (typeof val === "string") out[k] = val;
    else if (typeof val === "number" || typeof val === "boolean") out[k] = String(val);
    else throw vschemaError(`${where}: param "${k}" must be a string`);
  }
  return out;
}

/** Field names of vschema messages (snake_case). */
export const FIELDS = {
  srvVSchema: ["keyspaces", "routing_rules", "shard_routing_rules", "keyspace_routing_rules", "mirror_rules"],
  keyspace: ["sharded", "vindexes", "tables", "require_explicit_routing", "foreign_key_mode", "multi_tenant_spec", "cross_tablet"],
  vindex: ["type", "params", "owner"],
  table: ["type", "column_vindexes", "auto_increment", "columns", "pinned", "column_list_authoritative", "source"],
  columnVindex: ["column", "name", "columns"],
  autoIncrement: ["column", "sequence"],
  column: ["name", "type", "invisible", "default", "collation_name", "size", "scale", "nullable", "values"],
  routingRules: ["rules"],
  routingRule: ["from_table", "to_tables"],
  shardRoutingRule: ["from_keyspace", "to_keyspace", "shard"],
  keyspaceRoutingRule: ["from_keyspace", "to_keyspace"],
} as const;
