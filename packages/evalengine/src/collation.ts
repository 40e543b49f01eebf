// Collation-aware string comparison for vtgate's merges (ORDER BY merge-sort, GROUP BY runs, DISTINCT, MIN/MAX).
// MariaDB's `*_general_ci` collations compare one weight per character: the upper-cased base letter with accents
// removed (é = E, ß = S), characters outside the BMP all weigh U+FFFD, and trailing spaces are ignored (PAD SPACE).
// Binary collations (and unknown ones) compare bytes.

const dec = new TextDecoder();

/** Collation ids whose comparison is case- and accent-insensitive in the general_ci way (latin1/utf8/utf8mb4). */
const GENERAL_CI = new Set([8, 33, 45, 192, 224, 11, 28, 31, 48]);

/** True when strings under `collation` compare by weight rather than by bytes. */
export function isCaseInsensitive(collation: number | undefined): boolean {
  return collation !== undefined && GENERAL_CI.has(collation);
}

/** The general_ci weight string of `s` (one code unit per character). */
export function generalCiWeight(s: string): string {
  let out = "";
  const trimmed = s.replace(/ +$/, "");
  for (const ch of trimmed) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0xffff) { out += "\ufffd"; continue; }
    if (cp < 0x80) { out += cp >= 97 && cp <= 122 ? String.fromCharCode(cp - 32) : ch; continue; }
    if (ch === "ß") { out += "S"; continue; }
    const base = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    const up = (base.length > 0 ? base : ch).toUpperCase();
    out += up.length === 1 ? up : (base.length > 0 ? base : ch).charAt(0);
  }
  return out;
}

/**
 * generalCiWeight of the UTF-8 text in `b`, without decoding it character by character when it is all ASCII (then the
 * weight is the text with trailing spaces dropped and a-z upper-cased, one native decode). Other text goes the slow way.
 */
export function generalCiWeightOf(b: Uint8Array): string {
  let len = b.length;
  while (len > 0 && b[len - 1] === 0x20) len--;
  let lower = false;
  for (let i = 0; i < len; i++) {
    const x = b[i]!;
    if (x >= 0x80) return generalCiWeight(dec.decode(b));
    if (x >= 97 && x <= 122) lower = true;
  }
  const s = dec.decode(len === b.length ? b : b.subarray(0, len));
  return lower ? s.toUpperCase() : s;
}

/** Compares two byte strings under `collation`: weights for general_ci, bytes otherwise. */
export function compareCollated(a: Uint8Array, b: Uint8Array, collation: number | undefined): number {
  return isCaseInsensitive(collation) ? compareGeneralCi(a, b) : compareBytes(a, b);
}

/** Compares two byte strings under a general_ci collation (compareCollated once the collation is known to be one). */
export function compareGeneralCi(a: Uint8Array, b: Uint8Array): number {
  const fast = compareAsciiCi(a, b);
  if (fast !== undefined) return fast;
  const wa = generalCiWeight(dec.decode(a));
  const wb = generalCiWeight(dec.decode(b));
  return wa < wb ? -1 : wa > wb ? 1 : 0;
}

/**
 * general_ci on bytes, without decoding, while both sides are ASCII up to their first difference: trailing spaces
 * ignored (PAD SPACE), a-z folded to A-Z. ASCII characters weigh one code unit each, so this orders exactly as the
 * weight strings do. Undefined when a non-ASCII byte comes first (the caller then compares weight strings).
 */
function compareAsciiCi(a: Uint8Array, b: Uint8Array): number | undefined {
  let la = a.length;
  while (la > 0 && a[la - 1] === 0x20) la--;
  let lb = b.length;
  while (lb > 0 && b[lb - 1] === 0x20) lb--;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    let x = a[i]!;
    let y = b[i]!;
    if (x === y) {
      if (x >= 0x80) return undefined;
      continue;
    }
    if ((x | y) >= 0x80) return undefined;
    if (x >= 97 && x <= 122) x -= 32;
    if (y >= 97 && y <= 122) y -= 32;
    if (x !== y) return x - y;
  }
  return la - lb;
}

/** Byte-wise comparison (binary collation). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
