// The `numeric_static_map` vindex: a JSON map of uint64 → uint64, with an optional fallback vindex. Cost 1.
import { readFileSync } from "node:fs";
import type { Value } from "@vt/sqltypes";
import { FunctionalVindex, noneOnError } from "./functional-vindex.js";
import { type Hashing, isHashing } from "./vindex-guards.js";
import type { VindexContext } from "./vindex-registry.js";
import type { VindexDestination } from "./vschema-types.js";
import { uint64ToBytes, valueToUint64, vindexError } from "./value-convert.js";

const PARAMS = ["json", "json_path", "fallback_type"];

/** Parses `{"1": 2, ...}` (values numbers or numeric strings) into a uint64 map. Throws on bad JSON. */
export function parseNumericMap(text: string, name: string): Map<bigint, bigint> {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw vindexError(`NumericStaticMap: invalid JSON for vindex ${name}: ${(e as Error).message}`);
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw vindexError(`NumericStaticMap: JSON for vindex ${name} must be an object`);
  const out = new Map<bigint, bigint>();
  for (const [k, v] of Object.entries(obj)) {
    if (!/^\d+$/.test(k) || !/^\d+$/.test(String(v))) throw vindexError(`NumericStaticMap: invalid entry ${k}: ${String(v)} in vindex ${name}`);
    out.set(BigInt(k), BigInt(String(v)));
  }
  return out;
}

/**
 * Vitess's `numeric_static_map`: exactly one of `json` (inline) or `json_path` (file) gives the map; unmapped values
 * go through `fallback_type` (a Hashing vindex type) or are used as is. NULL/non-integers → DestinationNone.
 */
export class NumericStaticMapVindex extends FunctionalVindex {
  readonly typeName = "numeric_static_map";
  readonly cost = 1;
  readonly #table: Map<bigint, bigint>;
  readonly #fallback: Hashing | undefined;

  constructor(name: string, params: Readonly<Record<string, string>>, ctx: VindexContext) {
    super(name, params, PARAMS);
    const inline = params["json"];
    const path = params["json_path"];
    if (inline === undefined && path === undefined) throw vindexError("NumericStaticMap: Could not find either `json_path` or `json` params in vschema");
    if (inline !== undefined && path !== undefined) throw vindexError("NumericStaticMap: Found both `json` and `json_path` params in vschema");
    const text = inline ?? readFileSync(path as string, "utf8");
    this.#table = parseNumericMap(text, name);
    const fb = params["fallback_type"];
    if (fb !== undefined) {
      const v = ctx.registry.create(fb, `${name}_fallback`, {});
      if (!isHashing(v)) throw vindexError(`NumericStaticMap: fallback_type ${JSON.stringify(fb)} is not a Hashing vindex`);
      this.#fallback = v;
    }
  }

  hash(v: Value): Uint8Array {
    const n = valueToUint64(v);
    const mapped = this.#table.get(n);
    if (mapped !== undefined) return uint64ToBytes(mapped);
    return this.#fallback ? this.#fallback.hash(v) : uint64ToBytes(n);
  }

  protected override mapOne(v: Value): VindexDestination {
    return noneOnError(() => this.hash(v));
  }
}
