// The `lookup`, `lookup_unique`, `lookup_hash` and `lookup_hash_unique` vindexes: a backing table maps the
// `from` column(s) to the keyspace id (`to`). The *_hash variants store the uint64 whose `hash` is the ksid.
import { Type, type Value } from "@vt/sqltypes";
import { ZeroKeyDes } from "./hash.js";
import { LOOKUP_PARAMS, LookupInternal, type LookupRows, ksidValue, parseLookupParams } from "./lookup-internal.js";
import { type VindexContext, findUnknownParams } from "./vindex-registry.js";
import type { Lookup, LookupCursor, SingleColumn, VindexDestination } from "./vschema-types.js";
import { parseUint64, rawString, toHex, vindexError } from "./value-convert.js";

const enc = new TextEncoder();

/** Variant of a lookup vindex. */
export interface LookupKind {
  readonly typeName: string;
  readonly unique: boolean;
  /** The `to` column holds hash-reversible uint64s rather than raw keyspace ids. */
  readonly hashed: boolean;
}

/** The query a planner's VindexLookup runs, and the bind variable name for the `in` list. */
export interface LookupQuery {
  readonly sql: string;
  readonly arg: string;
}

/** Vitess's Lookup/LookupUnique/LookupHash/LookupHashUnique vindexes. Costs: unique 10, non-unique 20. */
export class LookupVindex implements SingleColumn, Lookup {
  readonly lookup = true;
  readonly needsVCursor = true;
  readonly typeName: string;
  readonly isUnique: boolean;
  readonly cost: number;
  readonly table: string;
  readonly fromColumns: readonly string[];
  readonly toColumn: string;
  readonly owner: string | undefined;
  readonly writeOnly: boolean;
  readonly ignoreNulls: boolean;
  readonly lkp: LookupInternal;
  readonly #unknown: string[];
  readonly #hashed: boolean;
  readonly #des = new ZeroKeyDes();

  constructor(readonly name: string, params: Readonly<Record<string, string>>, kind: LookupKind, owner?: string) {
    this.#unknown = findUnknownParams(params, LOOKUP_PARAMS);
    const p = parseLookupParams(name, params);
    this.lkp = new LookupInternal(name, p);
    this.typeName = kind.typeName;
    this.isUnique = kind.unique;
    this.cost = kind.unique ? 10 : 20;
    this.#hashed = kind.hashed;
    this.table = p.table;
    this.fromColumns = p.fromColumns;
    this.toColumn = p.to;
    this.owner = owner;
    this.writeOnly = p.writeOnly;
    this.ignoreNulls = p.ignoreNulls;
  }

  unknownParams(): readonly string[] {
    return this.#unknown;
  }

  /** The stored `to` value for a keyspace id. */
  toStored(ksid: Uint8Array): Value {
    if (!this.#hashed) return ksidValue(ksid);
    if (ksid.length !== 8) throw vindexError(`lookup.vunhash: invalid keyspace id: ${toHex(ksid)}`);
    return { type: Type.UINT64, raw: enc.encode(this.#des.unhash(ksid).toString()) };
  }

  /** The keyspace id for a stored `to` value. */
  fromStored(v: Value): Uint8Array {
    if (!this.#hashed) return v.raw ?? new Uint8Array(0);
    return this.#des.hash(parseUint64(rawString(v)));
  }

  /** The stored form of a `from` value (identity; lookup_unicodeloosemd5_hash stores a hash). */
  protected fromKey(v: Value): Value {
    return v;
  }

  #keys(values: readonly Value[]): Value[] {
    return values.map((v) => this.fromKey(v));
  }

  /** The select a planner's VindexLookup primitive runs (`in ::from`), for reading through the vindex. */
  query(): LookupQuery {
    return { sql: this.lkp.sel, arg: this.fromColumns[0]! };
  }

  /** Destinations from per-id lookup rows (also used by VindexLookup after it ran `query()`). */
  mapResult(ids: readonly Value[], results: readonly LookupRows[]): VindexDestination[] {
    if (this.writeOnly) return ids.map(() => ({ kind: "KeyRange", start: new Uint8Array(0), end: new Uint8Array(0) }));
    return results.map((rows): VindexDestination => {
      if (rows.length === 0) return { kind: "None" };
      if (this.isUnique) {
        if (rows.length > 1) throw vindexError(`Lookup.Map: unexpected multiple results from vindex ${this.name}: [${rows.map(rawString).join(" ")}]`);
        return { kind: "KeyspaceId", ksid: this.fromStored(rows[0]!) };
      }
      return { kind: "KeyspaceIds", ksids: rows.map((r) => this.fromStored(r)) };
    });
  }

  /** write_only → the full key range for every id; else a lookup query. Requires a cursor. */
  async map(values: readonly Value[], vc?: LookupCursor): Promise<VindexDestination[]> {
    if (this.writeOnly) return this.mapResult(values, []);
    return this.mapResult(values, await this.lkp.lookup(needCursor(vc), this.#keys(values)));
  }

  /** All true under write_only or no_verify; else one verify query per value. */
  async verify(values: readonly Value[], ksids: readonly Uint8Array[], vc?: LookupCursor): Promise<boolean[]> {
    if (this.writeOnly || this.lkp.p.noVerify) return values.map(() => true);
    return this.lkp.verify(needCursor(vc), this.#keys(values), ksids.map((k) => this.toStored(k)));
  }

  create(vc: LookupCursor, rows: readonly (readonly Value[])[], ksids: readonly Uint8Array[], ignoreMode: boolean): Promise<void> {
    return this.lkp.create(vc, rows.map((r) => this.#keys(r)), ksids.map((k) => this.toStored(k)), ignoreMode);
  }

  delete(vc: LookupCursor, rows: readonly (readonly Value[])[], ksid: Uint8Array): Promise<void> {
    return this.lkp.delete(vc, rows.map((r) => this.#keys(r)), this.toStored(ksid));
  }

  update(vc: LookupCursor, oldValues: readonly Value[], ksid: Uint8Array, newValues: readonly Value[]): Promise<void> {
    return this.lkp.update(vc, this.#keys(oldValues), this.toStored(ksid), this.#keys(newValues));
  }
}

/** Throws VT13001-style when a lookup is used without a cursor. */
export function needCursor(vc: LookupCursor | undefined): LookupCursor {
  if (!vc) throw vindexError("cannot perform lookup: no vcursor provided");
  return vc;
}

/** A registry factory for one lookup kind. */
export function lookupFactory(kind: LookupKind) {
  return (name: string, params: Readonly<Record<string, string>>, ctx: VindexContext): LookupVindex =>
    new LookupVindex(name, params, kind, ctx.owner);
}
