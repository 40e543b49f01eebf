/** An exact decimal: value = mant / 10^scale. Used to merge SUMs of DECIMAL/BIGINT text without JS floats. */
export interface Decimal { readonly mant: bigint; readonly scale: number }

/** Parses integer or fixed-point text ("-12.50"); returns undefined for anything else (e.g. "1e3"). */
export function parseDecimal(s: string): Decimal | undefined {
  const m = /^\s*([-+]?)(\d*)(?:\.(\d*))?\s*$/.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const frac = m[3] ?? "";
  const mant = BigInt(`${m[2] || "0"}${frac}`) * (m[1] === "-" ? -1n : 1n);
  return { mant, scale: frac.length };
}

const rescale = (d: Decimal, scale: number): bigint => d.mant * 10n ** BigInt(scale - d.scale);

/** a + b, exactly. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { mant: rescale(a, scale) + rescale(b, scale), scale };
}

/** Compares a and b exactly: negative, zero or positive. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a / b rounded half-up to `scale` fractional digits (MySQL's AVG/division result scale). */
export function divideDecimal(a: Decimal, b: Decimal, scale: number): Decimal {
  // a.mant/10^a.scale ÷ b.mant/10^b.scale = (a.mant * 10^(b.scale+scale)) / (b.mant * 10^a.scale), at `scale`.
  const num = a.mant * 10n ** BigInt(b.scale + scale);
  const den = b.mant * 10n ** BigInt(a.scale);
  const neg = (num < 0n) !== (den < 0n);
  const an = num < 0n ? -num : num;
  const ad = den < 0n ? -den : den;
  let q = an / ad;
  if ((an % ad) * 2n >= ad) q += 1n;
  return { mant: neg ? -q : q, scale };
}

/** Text form with exactly `scale` fractional digits ("-0.50"). */
export function decimalToString(d: Decimal): string {
  const neg = d.mant < 0n;
  let digits = (neg ? -d.mant : d.mant).toString();
  if (d.scale === 0) return (neg ? "-" : "") + digits;
  digits = digits.padStart(d.scale + 1, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
}
