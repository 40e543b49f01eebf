import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Length of the auth-plugin-data (scramble) the server sends. */
export const SCRAMBLE_LENGTH = 20;

/** 20 random bytes in 1..127 (never NUL, since some clients treat the scramble as a C string). */
export function generateScramble(): Buffer {
  const b = randomBytes(SCRAMBLE_LENGTH);
  for (let i = 0; i < b.length; i++) {
    const v = (b[i] as number) & 0x7f;
    b[i] = v === 0 ? 1 : v;
  }
  return b;
}

const sha1 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash("sha1");
  for (const p of parts) h.update(p);
  return h.digest();
};

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

const xor = (a: Buffer, b: Buffer): Buffer => {
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
};

/** SHA1(SHA1(password)): the stored form of a mysql_native_password. */
export function nativePasswordHash(password: string): Buffer {
  return sha1(sha1(Buffer.from(password, "utf8")));
}

/** Parses the "*HEX40" form (as in mysql.user / Vitess's MysqlNativePassword); null if not well-formed. */
export function parseNativePasswordHash(s: string): Buffer | null {
  const hex = s.startsWith("*") ? s.slice(1) : s;
  return /^[0-9a-fA-F]{40}$/.test(hex) ? Buffer.from(hex, "hex") : null;
}

/** Client side of mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))); empty for "". */
export function scrambleNativePassword(scramble: Uint8Array, password: string): Buffer {
  if (password === "") return Buffer.alloc(0);
  const s1 = sha1(Buffer.from(password, "utf8"));
  return xor(s1, sha1(scramble, sha1(s1)));
}

/**
 * Verifies a mysql_native_password response against the stored SHA1(SHA1(pw)). An empty stored hash (null)
 * means the empty password, which only an empty response matches.
 */
export function verifyNativePassword(scramble: Uint8Array, response: Buffer, stored: Buffer | null): boolean {
  if (stored === null) return response.length === 0;
  if (response.length !== 20) return false;
  const candidate = xor(response, sha1(scramble, stored));
  return timingSafeEqual(sha1(candidate), stored);
}

/** Client side of caching_sha2_password's fast path: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble). */
export function scrambleCachingSha2(scramble: Uint8Array, password: string): Buffer {
  if (password === "") return Buffer.alloc(0);
  const p1 = sha256(Buffer.from(password, "utf8"));
  return xor(p1, sha256(sha256(p1), scramble));
}

/** Verifies a caching_sha2_password fast-path response given the plaintext password. */
export function verifyCachingSha2(scramble: Uint8Array, response: Buffer, password: string): boolean {
  if (password === "") return response.length === 0;
  if (response.length !== 32) return false;
  return timingSafeEqual(response, scrambleCachingSha2(scramble, password));
}
