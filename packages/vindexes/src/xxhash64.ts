// XXH64 (seed 0 by default) over bytes, in BigInt arithmetic. Used by the xxhash, unicode_loose_xxhash and cfc vindexes.

const M = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M;
const round = (acc: bigint, lane: bigint): bigint => (rotl((acc + lane * P2) & M, 31n) * P1) & M;
const merge = (acc: bigint, v: bigint): bigint => ((((acc ^ round(0n, v)) * P1) & M) + P4) & M;

/** XXH64 of `data` with the given seed, as an unsigned 64-bit bigint. */
export function xxhash64(data: Uint8Array, seed = 0n): bigint {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = data.length;
  let p = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = (seed + P1 + P2) & M;
    let v2 = (seed + P2) & M;
    let v3 = seed & M;
    let v4 = (seed - P1) & M;
    for (; p + 32 <= n; p += 32) {
      v1 = round(v1, view.getBigUint64(p, true));
      v2 = round(v2, view.getBigUint64(p + 8, true));
      v3 = round(v3, view.getBigUint64(p + 16, true));
      v4 = round(v4, view.getBigUint64(p + 24, true));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M;
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = (seed + P5) & M;
  }
  h = (h + BigInt(n)) & M;
  for (; p + 8 <= n; p += 8) {
    h ^= round(0n, view.getBigUint64(p, true));
    h = ((rotl(h, 27n) * P1) & M) + P4 & M;
  }
  if (p + 4 <= n) {
    h ^= (BigInt(view.getUint32(p, true)) * P1) & M;
    h = (((rotl(h, 23n) * P2) & M) + P3) & M;
    p += 4;
  }
  for (; p < n; p++) {
    h ^= (BigInt(data[p] as number) * P5) & M;
    h = (rotl(h, 11n) * P1) & M;
  }
  h ^= h >> 33n;
  h = (h * P2) & M;
  h ^= h >> 29n;
  h = (h * P3) & M;
  h ^= h >> 32n;
  return h;
}

/** XXH64 (seed 0) of `data` as 8 little-endian bytes: the keyspace id form Vitess uses. */
export function xxhash64LE(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, xxhash64(data), true);
  return out;
}
