// Shared shape of the functional (computed, no I/O) single-column vindexes.
import type { Value } from "@vt/sqltypes";
import type { Hashing } from "./vindex-guards.js";
import { findUnknownParams } from "./vindex-registry.js";
import type { SingleColumn, VindexDestination } from "./vschema-types.js";
import { bytesEqual } from "./value-convert.js";

/**
 * Base of functional single-column vindexes: subclasses give `hash(v)` (throws on unusable input) and may
 * override `mapOne` to turn such errors into DestinationNone, as several Vitess vindexes do.
 */
export abstract class FunctionalVindex implements SingleColumn, Hashing {
  abstract readonly typeName: string;
  abstract readonly cost: number;
  readonly isUnique: boolean = true;
  readonly needsVCursor = false;
  readonly #unknown: string[];

  constructor(readonly name: string, params: Readonly<Record<string, string>>, known: readonly string[] = []) {
    this.#unknown = findUnknownParams(params, known);
  }

  /** Params this vindex does not recognise (Vitess ParamValidating). */
  unknownParams(): readonly string[] {
    return this.#unknown;
  }

  /** The keyspace id of one value. Throws SqlError on unusable input. */
  abstract hash(v: Value): Uint8Array;

  /** Destination of one value; by default errors propagate. */
  protected mapOne(v: Value): VindexDestination {
    return { kind: "KeyspaceId", ksid: this.hash(v) };
  }

  map(values: readonly Value[]): VindexDestination[] {
    return values.map((v) => this.mapOne(v));
  }

  /** True where `hash(values[i])` equals `ksids[i]`. Throws on unusable input, as Vitess's Verify does. */
  verify(values: readonly Value[], ksids: readonly Uint8Array[]): boolean[] {
    return values.map((v, i) => bytesEqual(this.hash(v), ksids[i] ?? new Uint8Array(0)));
  }
}

/** Maps errors from `hash` to DestinationNone (hash, numeric, reverse_bits semantics). */
export function noneOnError(f: () => Uint8Array): VindexDestination {
  try {
    return { kind: "KeyspaceId", ksid: f() };
  } catch {
    return { kind: "None" };
  }
}
