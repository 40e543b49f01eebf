// The `region_experimental` vindex: region id prefix (1 or 2 bytes, big-endian) ‖ hash(id). Two columns.
import type { Value } from "@vt/sqltypes";
import { ZeroKeyDes } from "./hash.js";
import { findUnknownParams } from "./vindex-registry.js";
import type { MultiColumn, VindexDestination } from "./vschema-types.js";
import { addOne, bytesEqual, valueToUint64, vindexError } from "./value-convert.js";

/** Parses the `region_bytes` param (1 or 2). */
export function regionBytes(p: string | undefined): 1 | 2 {
  if (p === "1") return 1;
  if (p === "2") return 2;
  throw vindexError(`region_bytes must be 1 or 2: ${p ?? ""}`);
}

/** The region prefix: uint16 of n, big-endian, truncated to its last byte when regionBytes is 1. */
export function regionPrefix(n: bigint, bytes: 1 | 2): Uint8Array {
  const r = Number(BigInt.asUintN(16, n));
  return bytes === 1 ? new Uint8Array([r & 0xff]) : new Uint8Array([r >> 8, r & 0xff]);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Vitess's `region_experimental`: columns (region, id). (region, id) → KeyspaceId; (region) → KeyRange over the
 * region's prefix; a non-integer region or id → DestinationNone. Throws for rows of other widths.
 */
export class RegionExperimentalVindex implements MultiColumn {
  readonly typeName = "region_experimental";
  readonly multiColumn = true;
  partialOk = true;
  readonly isUnique = true;
  readonly needsVCursor = false;
  readonly cost = 1;
  readonly #unknown: string[];
  readonly #bytes: 1 | 2;
  readonly #des = new ZeroKeyDes();

  constructor(readonly name: string, params: Readonly<Record<string, string>>) {
    this.#unknown = findUnknownParams(params, ["region_bytes"]);
    this.#bytes = regionBytes(params["region_bytes"]);
  }

  unknownParams(): readonly string[] {
    return this.#unknown;
  }

  #mapRow(row: readonly Value[]): VindexDestination {
    if (row.length !== 1 && row.length !== 2) throw vindexError(`wrong number of column values were passed: expected 1-2, got ${row.length}`);
    let r: Uint8Array;
    try {
      r = regionPrefix(valueToUint64(row[0]!), this.#bytes);
    } catch {
      return { kind: "None" };
    }
    if (row.length === 1) return { kind: "KeyRange", start: r, end: addOne(r) };
    try {
      return { kind: "KeyspaceId", ksid: concat(r, this.#des.hash(valueToUint64(row[1]!))) };
    } catch {
      return { kind: "None" };
    }
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

export { concat as concatBytes };
