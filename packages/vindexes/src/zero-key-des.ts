// Pure-JS single-block DES with the all-zero key, the `hash` vindex's cipher (no node:crypto call per value).
//
// With the all-zero key every round subkey is zero (PC-1/PC-2 only select key bits), so a round is
// f(R) = P(S(E(R))) with nothing to XOR in; and the key is one of DES's weak keys, so decryption (the same
// rounds with the subkeys reversed) is the same function as encryption. The tables below are FIPS 46-3's;
// they are folded at load into byte-indexed IP/FP tables and eight 64-entry S-box+P tables.

const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];
const P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];
const S = [
  [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
  [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
  [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
  [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
  [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
  [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
  [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
  [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
];

/**
 * A 64-bit permutation `perm` (1-based source bit per output bit, bit 1 = most significant) as byte tables:
 * entry [(byte * 256 + value) * 2] / [+1] is the output's high / low word contributed by input byte `byte`.
 */
function byteTables(perm: readonly number[]): Int32Array {
  const t = new Int32Array(8 * 256 * 2);
  for (let out = 0; out < 64; out++) {
    const src = perm[out]! - 1;
    const byte = src >> 3;
    const bit = 7 - (src & 7);
    for (let v = 0; v < 256; v++) {
      if (((v >> bit) & 1) === 0) continue;
      const i = (byte * 256 + v) * 2 + (out < 32 ? 0 : 1);
      t[i] = t[i]! | (1 << (31 - (out & 31)));
    }
  }
  return t;
}

/** S-box `box` followed by P, for each 6-bit input: the 32-bit round-function contribution. */
function spTables(): Int32Array {
  const t = new Int32Array(8 * 64);
  for (let box = 0; box < 8; box++) {
    for (let x = 0; x < 64; x++) {
      const row = ((x >> 4) & 2) | (x & 1);
      const col = (x >> 1) & 15;
      const s = S[box]![row * 16 + col]!;
      // The S-box output occupies bits 4*box+1 .. 4*box+4 of the pre-P word; P picks output bit i from P[i].
      let w = 0;
      for (let i = 0; i < 32; i++) {
        const src = P[i]! - 1;
        if ((src >> 2) !== box) continue;
        if ((s >> (3 - (src & 3))) & 1) w |= 1 << (31 - i);
      }
      t[box * 64 + x] = w;
    }
  }
  return t;
}

const FP: number[] = new Array<number>(64);
for (let i = 0; i < 64; i++) FP[IP[i]! - 1] = i + 1;

const IP_T = byteTables(IP);
const FP_T = byteTables(FP);
const SP = spTables();

/** f(R) with a zero subkey: E expands R into eight 6-bit groups (bits 32,1..5 | 4..9 | … | 28..32,1). */
function f(r: number): number {
  return SP[((r >>> 27) | (r << 5)) & 63]! ^ SP[64 + ((r >>> 23) & 63)]! ^ SP[128 + ((r >>> 19) & 63)]! ^
    SP[192 + ((r >>> 15) & 63)]! ^ SP[256 + ((r >>> 11) & 63)]! ^ SP[320 + ((r >>> 7) & 63)]! ^
    SP[384 + ((r >>> 3) & 63)]! ^ SP[448 + (((r << 1) | (r >>> 31)) & 63)]!;
}

/**
 * DES-encrypts (equivalently decrypts: the zero key is weak) the block `hi:lo` (big-endian 32-bit words) with the
 * all-zero key and writes the 8 result bytes to `out` at `off`.
 */
export function zeroKeyDesWords(hi: number, lo: number, out: Uint8Array, off = 0): void {
  const t = IP_T;
  let l = 0;
  let r = 0;
  for (let b = 0; b < 4; b++) {
    const i = (b * 256 + ((hi >>> (24 - 8 * b)) & 255)) * 2;
    const j = ((b + 4) * 256 + ((lo >>> (24 - 8 * b)) & 255)) * 2;
    l |= t[i]! | t[j]!;
    r |= t[i + 1]! | t[j + 1]!;
  }
  for (let round = 0; round < 16; round += 2) {
    l ^= f(r);
    r ^= f(l);
  }
  // Pre-output is R16 L16 (the last round does not swap).
  const u = FP_T;
  let oh = 0;
  let ol = 0;
  for (let b = 0; b < 4; b++) {
    const i = (b * 256 + ((r >>> (24 - 8 * b)) & 255)) * 2;
    const j = ((b + 4) * 256 + ((l >>> (24 - 8 * b)) & 255)) * 2;
    oh |= u[i]! | u[j]!;
    ol |= u[i + 1]! | u[j + 1]!;
  }
  out[off] = oh >>> 24; out[off + 1] = oh >>> 16; out[off + 2] = oh >>> 8; out[off + 3] = oh;
  out[off + 4] = ol >>> 24; out[off + 5] = ol >>> 16; out[off + 6] = ol >>> 8; out[off + 7] = ol;
}

/** DES (all-zero key) of 8 bytes → 8 new bytes. Requires: `block.length === 8`. */
export function zeroKeyDesBlock(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(8);
  const hi = (block[0]! << 24) | (block[1]! << 16) | (block[2]! << 8) | block[3]!;
  const lo = (block[4]! << 24) | (block[5]! << 16) | (block[6]! << 8) | block[7]!;
  zeroKeyDesWords(hi, lo, out);
  return out;
}
