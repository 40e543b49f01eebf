// Destinations: where a query should go, before it is resolved against a keyspace's current shards.
import { SqlError } from "@vt/errors";
import { type KeyRange, keyRangeContains, keyRangesIntersect, keyRangeString } from "./key-range.js";
import { compareKsids, ksidToHex } from "./ksid.js";

/**
 * A routing destination (Vitess key.Destination variants). The `KeyspaceId`, `KeyspaceIds`, `KeyRange` and `None`
 * variants have the same shape as @vt/vindexes' VindexDestination, so a vindex result is a Destination as is.
 */
export type Destination =
  | { readonly kind: "KeyspaceId"; readonly ksid: Uint8Array }
  | { readonly kind: "KeyspaceIds"; readonly ksids: readonly Uint8Array[] }
  | { readonly kind: "KeyRange"; readonly start: Uint8Array; readonly end: Uint8Array }
  | { readonly kind: "ExactKeyRange"; readonly start: Uint8Array; readonly end: Uint8Array }
  | { readonly kind: "Shard"; readonly shard: string }
  | { readonly kind: "Shards"; readonly shards: readonly string[] }
  | { readonly kind: "AllShards" }
  | { readonly kind: "AnyShard" }
  | { readonly kind: "None" };

export type DestinationKind = Destination["kind"];

/** Constructors, named after Vitess's types. */
export const DestinationKeyspaceID = (ksid: Uint8Array): Destination => ({ kind: "KeyspaceId", ksid });
export const DestinationKeyspaceIDs = (ksids: readonly Uint8Array[]): Destination => ({ kind: "KeyspaceIds", ksids });
export const DestinationKeyRange = (kr: KeyRange): Destination => ({ kind: "KeyRange", start: kr.start, end: kr.end });
export const DestinationExactKeyRange = (kr: KeyRange): Destination => ({ kind: "ExactKeyRange", start: kr.start, end: kr.end });
export const DestinationShard = (shard: string): Destination => ({ kind: "Shard", shard });
export const DestinationShards = (shards: readonly string[]): Destination => ({ kind: "Shards", shards });
export const DestinationAllShards = (): Destination => ({ kind: "AllShards" });
export const DestinationAnyShard = (): Destination => ({ kind: "AnyShard" });
export const DestinationNone = (): Destination => ({ kind: "None" });

/** Vitess's String() of a destination, e.g. `DestinationKeyspaceID(166b40b44aba4bd6)`, `DestinationShard(-80)`. */
export function describeDestination(d: Destination): string {
  switch (d.kind) {
    case "KeyspaceId": return `DestinationKeyspaceID(${ksidToHex(d.ksid)})`;
    case "KeyspaceIds": return `DestinationKeyspaceIDs(${d.ksids.map(ksidToHex).join(",")})`;
    case "KeyRange": return `DestinationKeyRange(${keyRangeString(d)})`;
    case "ExactKeyRange": return `DestinationExactKeyRange(${keyRangeString(d)})`;
    case "Shard": return `DestinationShard(${d.shard})`;
    case "Shards": return `DestinationShards(${d.shards.join(",")})`;
    case "AllShards": return "DestinationAllShards()";
    case "AnyShard": return "DestinationAnyShard()";
    case "None": return "DestinationNone()";
  }
}

/** A shard as the resolver sees it: its name and key range (e.g. from SrvKeyspace shard_references). */
export interface ShardRef {
  readonly name: string;
  readonly keyRange: KeyRange | undefined | null;
}

/** Options for resolveDestination. */
export interface ResolveOptions {
  /** Picks the shard index for AnyShard given the shard count; defaults to a uniform random pick. */
  readonly pickAny?: (n: number) => number;
}

const noShard = (msg: string): SqlError => new SqlError(1105, "HY000", msg, "INVALID_ARGUMENT");

/** The shard whose range contains `ksid`. Throws SqlError INVALID_ARGUMENT when none does. */
export function shardForKsid(ksid: Uint8Array, shards: readonly ShardRef[]): string {
  for (const s of shards) if (keyRangeContains(s.keyRange, ksid)) return s.name;
  throw noShard(`KeyspaceId ${ksidToHex(ksid)} didn't match any shards [${shards.map((s) => s.name).join(" ")}]`);
}

function exactShards(kr: KeyRange, shards: readonly ShardRef[]): string[] {
  const sorted = [...shards].sort((a, b) => compareKsids(a.keyRange?.start ?? new Uint8Array(0), b.keyRange?.start ?? new Uint8Array(0)));
  const out: string[] = [];
  let inside = false;
  for (const s of sorted) {
    const r = s.keyRange ?? { start: new Uint8Array(0), end: new Uint8Array(0) };
    if (!inside && compareKsids(r.start, kr.start) === 0) inside = true;
    if (!inside) continue;
    out.push(s.name);
    if (compareKsids(r.end, kr.end) === 0) return out;
  }
  throw noShard(`keyrange ${keyRangeString(kr)} does not exactly match shards`);
}

/**
 * The shard names a destination reaches, in first-seen order without duplicates:
 * KeyspaceId → the one shard containing it; KeyspaceIds → each; KeyRange → all intersecting shards;
 * ExactKeyRange → the shards exactly tiling it; Shard/Shards → the names given; AllShards → all; AnyShard → one;
 * None → none. Throws SqlError INVALID_ARGUMENT when a keyspace id matches no shard, or AnyShard has no shards.
 */
export function resolveDestination(d: Destination, shards: readonly ShardRef[], opts: ResolveOptions = {}): string[] {
  switch (d.kind) {
    case "KeyspaceId": return [shardForKsid(d.ksid, shards)];
    case "KeyspaceIds": return [...new Set(d.ksids.map((k) => shardForKsid(k, shards)))];
    case "KeyRange": return shards.filter((s) => keyRangesIntersect(s.keyRange, d)).map((s) => s.name);
    case "ExactKeyRange": return exactShards(d, shards);
    case "Shard": return [d.shard];
    case "Shards": return [...new Set(d.shards)];
    case "AllShards": return shards.map((s) => s.name);
    case "AnyShard": {
      if (shards.length === 0) throw noShard("no shard in keyspace");
      const pick = opts.pickAny ?? ((n: number) => Math.floor(Math.random() * n));
      return [shards[pick(shards.length)]!.name];
    }
    case "None": return [];
  }
}
