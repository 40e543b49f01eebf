// The `cfc` (concatenated fixed-width composite) vindex: the key itself, or per-component hashes at `offsets`.
import type { Value } from "@vt/sqltypes";
import { md5 } from "./binary-md5-vindex.js";
import { FunctionalVindex } from "./functional-vindex.js";
import type { SingleColumn, VindexDestination } from "./vschema-types.js";
import { addOne, valueToBytes, vindexError } from "./value-convert.js";
import { xxhash64LE } from "./xxhash64.js";

type HashFn = (b: Uint8Array) => Uint8Array;

function parseOffsets(s: string | undefined, name: string): number[] {
  if (s === undefined) return [];
  let arr: unknown;
  try {
    arr = JSON.parse(s);
  } catch {
    throw vindexError(`invalid offsets value for cfc vindex ${name}: ${s}`);
  }
  if (!Array.isArray(arr) || arr.some((n) => !Number.isInteger(n) || n <= 0)) throw vindexError(`invalid offsets value for cfc vindex ${name}: ${s}`);
  const offs = arr as number[];
  for (let i = 1; i < offs.length; i++) {
    if (offs[i]! <= offs[i - 1]!) throw vindexError(`offsets must be positive and in strictly increasing order for cfc vindex ${name}: ${s}`);
  }
  return offs;
}

/** The literal prefix of a LIKE pattern: bytes before the first unescaped `%` or `_` (backslash escapes). */
export function likePrefix(pattern: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === 0x5c && i + 1 < pattern.length) { out.push(pattern[++i]!); continue; }
    if (c === 0x25 || c === 0x5f) break;
    out.push(c);
  }
  return Uint8Array.from(out);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/**
 * Vitess's `cfc` vindex. Params: `hash` (`md5` | `xxhash64`, optional) and `offsets` (JSON array of component end
 * offsets, only with `hash`). Without hash the key is the keyspace id. Throws when a key is shorter than the last
 * offset + 1. `prefixVindex()` gives the vindex used for `LIKE 'prefix%'`, mapping to a key range.
 */
export class CfcVindex extends FunctionalVindex {
  readonly typeName = "cfc";
  readonly cost = 1;
  readonly #hash: HashFn | undefined;
  readonly #offsets: number[];

  constructor(name: string, params: Readonly<Record<string, string>>) {
    super(name, params, ["hash", "offsets"]);
    const h = params["hash"];
    if (h === undefined || h === "") this.#hash = undefined;
    else if (h === "md5") this.#hash = md5;
    else if (h === "xxhash64") this.#hash = xxhash64LE;
    else throw vindexError(`invalid hash ${h} to cfc vindex ${name}`);
    this.#offsets = parseOffsets(params["offsets"], name);
    if (this.#offsets.length > 0 && !this.#hash) throw vindexError(`cfc vindex ${name}: offsets are only valid with a hash function`);
  }

  /** The keyspace id of key bytes; in prefix mode only the complete leading components are hashed. */
  computeKsid(v: Uint8Array, prefix: boolean): Uint8Array {
    const hash = this.#hash;
    if (!hash) return v;
    const offs = this.#offsets;
    if (offs.length === 0) return hash(v);
    const n = v.length;
    const last = offs[offs.length - 1]!;
    if (!prefix && n <= last) throw vindexError(`insufficient size for cfc vindex ${this.name}. need ${last + 1}, got ${n}`);
    const parts: Uint8Array[] = [];
    let prev = 0;
    let offset = 0;
    for (const o of offs) {
      offset = o;
      if (n < o) break;
      parts.push(hash(v.subarray(prev, o)));
      prev = o;
    }
    // The open-ended last component is only known whole for a full key, never for a LIKE prefix.
    if (!prefix && offset < n) parts.push(hash(v.subarray(offset, n)));
    return concat(parts);
  }

  hash(v: Value): Uint8Array {
    return this.computeKsid(valueToBytes(v), false);
  }

  /** The companion vindex for `LIKE 'prefix%'` predicates (cost 2, non-unique, key-range results). */
  prefixVindex(): SingleColumn {
    const cfc = this;
    return {
      name: this.name,
      typeName: "cfc",
      cost: 2,
      isUnique: false,
      needsVCursor: false,
      map(values: readonly Value[]): VindexDestination[] {
        return values.map((v) => {
          const start = cfc.computeKsid(likePrefix(valueToBytes(v)), true);
          return { kind: "KeyRange", start, end: start.length === 0 ? start : addOne(start) };
        });
      },
      verify(values: readonly Value[]): boolean[] {
        return values.map(() => false);
      },
    };
  }
}
