// UCA primary weights for the unicode_loose_* vindexes. PLACEHOLDER: replaced below.
import { vindexError } from "./value-convert.js";

/** The primary-weight byte stream of UTF-8 text (trailing ASCII spaces trimmed). */
export function primaryWeightBytes(utf8: Uint8Array): Uint8Array {
  let n = utf8.length;
  while (n > 0 && utf8[n - 1] === 0x20) n--;
  const s = new TextDecoder("utf-8", { fatal: true });
  try {
    s.decode(utf8.subarray(0, n));
  } catch {
    throw vindexError("cannot normalize string containing invalid UTF-8");
  }
  throw vindexError("unicode_loose weights not implemented");
}
