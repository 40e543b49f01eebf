// The `multicol` vindex: concatenated prefixes of per-column hashes (8 bytes total); a column prefix → key range.
import type { Value } from "@vt/sqltypes";
import { type Hashing, isHashing } from "./vindex-guards.js";
import { type VindexContext, findUnknownParams } from "./vindex-registry.js";
import type { MultiColumn, VindexDestination } from "./vschema-types.js";
import { addOne, bytesEqual, vindexError } from "./value-convert.js";

const PARAMS = ["column_count", "column_bytes", "column_vindex"];
const KSID_LEN = 8;

/** Splits 8 bytes over `count` columns: given sizes first, the rest spread evenly, remainder to the first ones. */
export function columnBytes(spec: string | undefined, count: number): number[] {
  const given = spec === undefined || spec.trim() === "" ? [] : spec.split(",").map((s) => Number(s.trim()));
  if (given.length > count) throw vindexError(`number of column bytes provided are more than column count in the parameter 'column_bytes'`);
  if (given.some((n) => !Number.isInteger(n) || n <= 0)) throw vindexError(`invalid column bytes in the parameter 'column_bytes': ${spec}`);
  const used = given.reduce((a, b) => a + b, 0);
  if (used > KSID_LEN) throw vindexError("column bytes count exceeds the keyspace id length (total bytes count cannot exceed 8 bytes) in the parameter 'column_bytes'");
  const rest = count - given.length;
  if (rest === 0) return given;
  const left = KSID_LEN - used;
  if (left < rest) throw vindexError("column bytes count exceeds the keyspace id length (total bytes count cannot exceed 8 bytes) in the parameter 'column_bytes'");
  const base = Math.floor(left / rest);
  const extra = left % rest;
  return [...given, ...Array.from({ length: rest }, (_, i) => base + (i < extra ? 1 : 0))];
}

/** Vitess's `multicol` vindex (column_count ≤ 8; column_vindex default `hash`; column_bytes default even split). */
export class MulticolVindex implements MultiColumn {
  readonly typeName = "multicol";
  readonly multiColumn = true;
  partialOk = true;
  readonly isUnique = true;
  readonly needsVCursor = false;
  readonly cost: number;
  readonly #unknown: string[];
  readonly #vindexes: Hashing[];
  readonly #bytes: number[];

  constructor(readonly name: string, params: Readonly<Record<string, string>>, ctx: VindexContext) {
    this.#unknown = findUnknownParams(params, PARAMS);
    const count = Number(params["column_count"]);
    if (params["column_count"] === undefined) throw vindexError("number of columns not provided in the parameter 'column_count'");
    if (!Number.isInteger(count) || count < 1 || count > KSID_LEN) throw vindexError("number of columns should be between 1 and 8 in the parameter 'column_count'");
    const types = (params["column_vindex"] ?? "").split(",").map((s) => s.trim());
    this.#vindexes = Array.from({ length: count }, (_, i) => {
      const t = types[i] || "hash";
      const v = ctx.registry.create(t, `${name}_${i}`, {});
      if (!isHashing(v) || !v.isUnique || v.needsVCursor) {
        throw vindexError(`multicol vindex supports vindexes that exports hashing function, are unique and are non-lookup vindex, passed vindex '${t}' is invalid`);
      }
      return v;
    });
    this.#bytes = columnBytes(params["column_bytes"], count);
    this.cost = this.#vindexes.reduce((a, v) => a + v.cost, 0);
  }

  unknownParams(): readonly string[] {
    return this.#unknown;
  }

  /** Concatenated hash prefixes of the given (leading) columns. Throws on too many columns or a bad value. */
  ksidPrefix(row: readonly Value[]): Uint8Array {
    if (row.length > this.#vindexes.length) {
      throw vindexError(`wrong number of column values were passed: maximum allowed ${this.#vindexes.length}, got ${row.length}`);
    }
    const parts = row.map((v, i) => this.#vindexes[i]!.hash(v).subarray(0, this.#bytes[i]));
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }

  /** Full rows → KeyspaceId; leading-column prefixes → the KeyRange [prefix, prefix+1). */
  mapMulti(rows: readonly (readonly Value[])[]): VindexDestination[] {
    return rows.map((row) => {
      const ksid = this.ksidPrefix(row);
      if (row.length === this.#vindexes.length) return { kind: "KeyspaceId", ksid };
      return { kind: "KeyRange", start: ksid, end: addOne(ksid) };
    });
  }

  /** True where the full row hashes to ksids[i]. */
  verifyMulti(rows: readonly (readonly Value[])[], ksids: readonly Uint8Array[]): boolean[] {
    return rows.map((row, i) => bytesEqual(this.ksidPrefix(row), ksids[i] ?? new Uint8Array(0)));
  }
}
