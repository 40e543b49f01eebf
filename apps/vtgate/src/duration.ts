/**
 * Parses a Go-style duration flag value ("30s", "500ms", "1m30s", "2h") into milliseconds; a bare number is
 * milliseconds and "" is 0. Throws on anything else, naming the text.
 */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (t === "" || t === "0") return 0;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let ms = 0;
  let rest = t;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) throw new Error(`invalid duration: ${text}`);
    ms += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return ms;
}
