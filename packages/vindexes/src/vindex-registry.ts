// The registry of vindex types: vschema JSON `type` string → factory. An instance, never a global.
import { SqlError } from "@vt/errors";
import type { Vindex } from "./vschema-types.js";

/** What a factory gets besides name and params. */
export interface VindexContext {
  /** The `owner` table of a lookup vindex, from the vschema. */
  readonly owner?: string | undefined;
  /** The registry creating this vindex (for vindexes built on others: multicol, numeric_static_map fallback). */
  readonly registry: VindexRegistry;
}

/** Builds one vindex. Throws SqlError (INVALID_ARGUMENT) on bad params. */
export type VindexFactory = (name: string, params: Readonly<Record<string, string>>, ctx: VindexContext) => Vindex;

/** Vindexes that know which of their params they did not recognise (Vitess ParamValidating). */
export interface ParamValidating {
  unknownParams(): readonly string[];
}

/** True when the vindex reports unknown params. */
export function isParamValidating(v: unknown): v is ParamValidating {
  return typeof (v as { unknownParams?: unknown }).unknownParams === "function";
}

/**
 * Creates vindexes by their vschema type name. Built as `new VindexRegistry(builtinVindexes)`; `with()` returns a
 * new registry that adds (or overrides) types, e.g. for tests.
 */
export class VindexRegistry {
  readonly #factories: ReadonlyMap<string, VindexFactory>;
  readonly #memo = new Map<string, unknown>();

  constructor(factories: ReadonlyMap<string, VindexFactory>) {
    this.#factories = new Map(factories);
  }

  /** True when `type` is registered. */
  has(type: string): boolean {
    return this.#factories.has(type);
  }

  /** The registered type names, sorted. */
  types(): string[] {
    return [...this.#factories.keys()].sort();
  }

  /** Shared, lazily built data for the vindexes this registry creates (e.g. collation tables), keyed by name. */
  memo<T>(key: string, make: () => T): T {
    if (!this.#memo.has(key)) this.#memo.set(key, make());
    return this.#memo.get(key) as T;
  }

  /** A new registry with extra factories (later ones win). */
  with(extra: ReadonlyMap<string, VindexFactory>): VindexRegistry {
    return new VindexRegistry(new Map([...this.#factories, ...extra]));
  }

  /**
   * Creates a vindex. Throws SqlError `vindexType "x" not found` for an unknown type, or the factory's error
   * for bad params. Unknown params are not an error here: read them with `unknownParams(vindex)`.
   */
  create(type: string, name: string, params: Readonly<Record<string, string>> = {}, owner?: string): Vindex {
    const f = this.#factories.get(type);
    if (!f) throw new SqlError(1105, "HY000", `vindexType ${JSON.stringify(type)} not found`, "INVALID_ARGUMENT");
    return f(name, params, { owner, registry: this });
  }
}

/** The params a vindex did not recognise (empty when it does not validate params). */
export function unknownParams(v: Vindex): readonly string[] {
  return isParamValidating(v) ? v.unknownParams() : [];
}

/** Lists the keys of `params` not in `known`, sorted (Vitess FindUnknownParams). */
export function findUnknownParams(params: Readonly<Record<string, string>>, known: readonly string[]): string[] {
  return Object.keys(params).filter((k) => !known.includes(k)).sort();
}
