// The `region_json` vindex: region prefix looked up from a JSON country→region file ‖ hash(id). Two columns.
import { readFileSync } from "node:fs";
import { type Value, valueToString } from "@vt/sqltypes";
import { ZeroKeyDes } from "./hash.js";
import { concatBytes, regionBytes, regionPrefix } from "./region-experimental-vindex.js";
import { findUnknownParams } from "./vindex-registry.js";
import type { MultiColumn, VindexDestination } from "./vschema-types.js";
import { bytesEqual, valueToUint64, vindexError } from "./value-convert.js";

/** Parses a `{"US": 1, "FR": 2}` region map. */
export function parseRegionMap(text: string): Map<string, bigint> {
  const obj = JSON.parse(text) as Record<string, unknown>;
  const out = new Map<string, bigint>();
  for (const [k, v] of Object.entries(obj)) out.set(k, BigInt(String(v)));
  return out;
}

/**
 * Vitess's `region_json`: params `region_map` (file path) and `region_bytes`. Columns (id, country): the region of
 * `country` prefixes hash(id). Unknown country, a bad id or a row that is not two columns → DestinationNone.
 * `region_map_json` (inline JSON) is accepted as an extension for tests.
 */
export class RegionJsonVindex implements MultiColumn {
  readonly typeName = "region_json";
  readonly multiColumn = true;
  partialOk = false;
  readonly isUnique = true;
  readonly needsVCursor = false;
  readonly cost = 1;
  readonly #unknown: string[];
  readonly #bytes: 1 | 2;
  readonly #regions: Map<string, bigint>;
  readonly #des = new ZeroKeyDes();

  constructor(readonly name: string, params: Readonly<Record<string, string>>) {
    this.#unknown = findUnknownParams(params, ["region_map", "region_bytes", "region_map_json"]);
    const file = params["region_map"];
    const inline = params["region_map_json"];
    if (file === undefined && inline === undefined) throw vindexError(`region_json vindex ${name}: region_map param is required`);
    try {
      this.#regions = parseRegionMap(inline ?? readFileSync(file as string, "utf8"));
    } catch (e) {
      throw vindexError(`region_json vindex ${name}: cannot read region_map: ${(e as Error).message}`);
    }
    this.#bytes = regionBytes(params["region_bytes"]);
  }

  unknownParams(): readonly string[] {
    return this.#unknown;
  }

  #mapRow(row: readonly Value[]): VindexDestination {
    if (row.length !== 2) return { kind: "None" };
    let h: Uint8Array;
    try {
      h = this.#des.hash(valueToUint64(row[0]!));
    } catch {
      return { kind: "None" };
    }
    const region = this.#regions.get(valueToString(row[1]!) ?? "");
    if (region === undefined) return { kind: "None" };
    return { kind: "KeyspaceId", ksid: concatBytes(regionPrefix(region, this.#bytes), h) };
  }

  mapMulti(rows: readonly (readonly Value[])[]): VindexDestination[] {
    return rows.map((row) => this.#mapRow(row));
  }

  verifyMulti(rows: readonly (readonly Value[])[], ksids: readonly Uint8Array[]): boolean[] {
    return rows.map((row, i) => {
      const d = this.#mapRow(row);
      return d.kind === "KeyspaceId" && bytesEqual(d.ksid, ksids[i] ?? new Uint8Array(0));
    });
  }
}
