// Key ranges: half-open [start, end) over keyspace ids; an empty bound is unbounded. Shards are named by them.
import { SqlError } from "@vt/errors";
import { compareBytes, compareKsids, ksidFromHex, ksidToHex, normalizeKsid } from "./ksid.js";

/** A key range. Same property names as topodata.KeyRange, so a proto KeyRange can be passed directly. */
export interface KeyRange {
  readonly start: Uint8Array;
  readonly end: Uint8Array;
}

const invalid = (msg: string): SqlError => new SqlError(1105, "HY000", msg, "INVALID_ARGUMENT");

/** The full range `-` (both bounds empty). */
export function fullKeyRange(): KeyRange {
  return { start: new Uint8Array(0), end: new Uint8Array(0) };
}

/** True when the range covers every keyspace id (both bounds empty after normalisation, or undefined). */
export function keyRangeIsComplete(kr: KeyRange | undefined | null): boolean {
  return !kr || (normalizeKsid(kr.start).length === 0 && normalizeKsid(kr.end).length === 0);
}

/**
 * Builds a key range from its two hex bounds (Vitess ParseKeyRangeParts).
 * Throws SqlError INVALID_ARGUMENT on bad hex or when a non-empty end is not strictly above start.
 */
export function parseKeyRangeParts(startHex: string, endHex: string): KeyRange {
  const start = ksidFromHex(startHex);
  const end = ksidFromHex(endHex);
  // Raw bytewise comparison, as Vitess's ParseKeyRangeParts does.
  if (end.length > 0 && compareBytes(start, end) >= 0) {
    throw invalid(`out of order keys: ${startHex} is not strictly smaller than ${endHex}`);
  }
  return { start, end };
}

/**
 * Parses a shard name into its key range. `-80`, `80-`, `40-80` are ranges (hex, either case); a name without
 * `-` (such as `0` for an unsharded keyspace) and `-` itself denote the full range.
 * Throws SqlError INVALID_ARGUMENT for more than one `-`, bad hex, or out-of-order bounds.
 */
export function parseShardName(name: string): KeyRange {
  if (!name.includes("-")) return fullKeyRange();
  const parts = name.split("-");
  if (parts.length !== 2) throw invalid(`shard ${name} has an invalid format`);
  return parseKeyRangeParts(parts[0] as string, parts[1] as string);
}

/** True when `name` is a valid shard name (see parseShardName). */
export function isValidShardName(name: string): boolean {
  try {
    parseShardName(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses a sharding spec such as `-40-80-c0-` into consecutive ranges (Vitess ParseShardingSpec).
 * `-` alone gives the single full range. Throws SqlError INVALID_ARGUMENT on malformed specs.
 */
export function parseShardingSpec(spec: string): KeyRange[] {
  const parts = spec.split("-");
  if (parts.length === 1) throw invalid(`malformed spec: doesn't define a range: "${spec}"`);
  const out: KeyRange[] = [];
  let prev = parts[0] as string;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i] as string;
    if (p === "" && i !== parts.length - 1) throw invalid(`malformed spec: MinKey/MaxKey cannot be in the middle of the spec: "${spec}"`);
    if (p !== "" && prev !== "" && p <= prev) throw invalid(`malformed spec: shard limits should be in order: "${spec}"`);
    out.push(parseKeyRangeParts(prev, p));
    prev = p;
  }
  return out;
}

/** Vitess's text form: `-` for the full range, else `<hex start>-<hex end>` (bounds as stored, lower case). */
export function keyRangeString(kr: KeyRange | undefined | null): string {
  if (keyRangeIsComplete(kr)) return "-";
  return `${ksidToHex(kr!.start)}-${ksidToHex(kr!.end)}`;
}

/** True when `ksid` lies in [start, end), comparing after trailing-zero normalisation. */
export function keyRangeContains(kr: KeyRange | undefined | null, ksid: Uint8Array): boolean {
  if (!kr || keyRangeIsComplete(kr)) return true;
  const s = normalizeKsid(kr.start);
  const e = normalizeKsid(kr.end);
  return (s.length === 0 || compareKsids(ksid, s) >= 0) && (e.length === 0 || compareKsids(ksid, e) < 0);
}

/** True when the two half-open ranges share at least one keyspace id. Undefined means the full range. */
export function keyRangesIntersect(a: KeyRange | undefined | null, b: KeyRange | undefined | null): boolean {
  if (!a || !b) return true;
  const aEnd = normalizeKsid(a.end);
  const bEnd = normalizeKsid(b.end);
  return (aEnd.length === 0 || compareKsids(b.start, aEnd) < 0) && (bEnd.length === 0 || compareKsids(a.start, bEnd) < 0);
}

/** True when both ranges have equal bounds after normalisation. */
export function keyRangeEqual(a: KeyRange | undefined | null, b: KeyRange | undefined | null): boolean {
  if (!a || !b) return keyRangeIsComplete(a) && keyRangeIsComplete(b);
  return compareKsids(a.start, b.start) === 0 && compareKsids(a.end, b.end) === 0;
}

/** True when `outer` covers all of `inner` (Vitess KeyRangeContainsKeyRange). */
export function keyRangeContainsKeyRange(outer: KeyRange | undefined | null, inner: KeyRange | undefined | null): boolean {
  if (keyRangeIsComplete(outer)) return true;
  if (keyRangeIsComplete(inner)) return false;
  const oEnd = normalizeKsid(outer!.end);
  const iEnd = normalizeKsid(inner!.end);
  const startOk = compareKsids(outer!.start, inner!.start) <= 0;
  const endOk = oEnd.length === 0 || (iEnd.length > 0 && compareKsids(iEnd, oEnd) <= 0);
  return startOk && endOk;
}

/**
 * Names of `n` shards splitting the whole range as evenly as possible (Vitess GenerateShardRanges):
 * 2 → `-80`, `80-`; 1 → `-`. Bounds are 1 byte for n ≤ 256, 2 bytes up to 65536.
 * Throws SqlError INVALID_ARGUMENT for n ≤ 0 or n > 65536.
 */
export function evenShards(n: number): string[] {
  if (!Number.isInteger(n) || n <= 0) throw invalid("shards must be greater than zero");
  if (n > 65536) throw invalid("this function does not support more than 65336 shards in a single keyspace");
  const [width, max] = n <= 256 ? [2, 256] : [4, 65536];
  const fmt = (v: number): string => v.toString(16).padStart(width, "0");
  const size = max / n;
  const out: string[] = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    const end = Math.trunc(i * size);
    out.push(`${start === 0 ? "" : fmt(start)}-${end === max ? "" : fmt(end)}`);
    start = end;
  }
  return out;
}
