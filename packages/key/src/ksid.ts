// Keyspace ids: byte strings ordered bytewise after trailing 0x00 bytes are stripped (Vitess key.Normalize).
import { SqlError } from "@vt/errors";

/** Returns `id` without its trailing zero bytes (a view, not a copy). `80 00` and `80` name the same point. */
export function normalizeKsid(id: Uint8Array): Uint8Array {
  let n = id.length;
  while (n > 0 && id[n - 1] === 0) n--;
  return n === id.length ? id : id.subarray(0, n);
}

/** Plain bytewise comparison (Go's bytes.Compare): negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Compares two keyspace ids bytewise after stripping trailing zeros, as Vitess orders key-range bounds. */
export function compareKsids(a: Uint8Array, b: Uint8Array): number {
  return compareBytes(normalizeKsid(a), normalizeKsid(b));
}

/** True when the two ids are equal after normalisation. */
export function ksidEqual(a: Uint8Array, b: Uint8Array): boolean {
  return compareKsids(a, b) === 0;
}

/** Lower-case hex of a keyspace id (Go's hex.EncodeToString). */
export function ksidToHex(id: Uint8Array): string {
  let s = "";
  for (const b of id) s += b.toString(16).padStart(2, "0");
  return s;
}

/**
 * Decodes hex (either case) into bytes.
 * Throws SqlError 1105 (INVALID_ARGUMENT) on odd length or a non-hex digit.
 */
export function ksidFromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new SqlError(1105, "HY000", `invalid hex keyspace id: '${hex}'`, "INVALID_ARGUMENT");
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
