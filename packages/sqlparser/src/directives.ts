/** Comment directives from `/*vt+ KEY=value FLAG *\/` comments, keys upper-case (FLAG alone → "true"). */
export type Directives = Readonly<Record<string, string>>;

/** Parses the body of one comment; returns undefined unless it is a `/*vt+` directive comment. */
export function parseDirectiveComment(comment: string): Record<string, string> | undefined {
  if (!comment.startsWith("/*vt+")) return undefined;
  const body = comment.slice(5, -2).trim();
  const out: Record<string, string> = {};
  for (const part of body.split(/\s+/)) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq < 0) out[part.toUpperCase()] = "true";
    else out[part.slice(0, eq).toUpperCase()] = unquoteDirective(part.slice(eq + 1));
  }
  return out;
}

function unquoteDirective(v: string): string {
  const q = v[0];
  return (q === "'" || q === "\"" || q === "`") && v.endsWith(q) && v.length >= 2 ? v.slice(1, -1) : v;
}

/** True when a directive is set to a truthy value ("true", "1", "on", or the bare flag). */
export function directiveIsSet(d: Directives, key: string): boolean {
  const v = d[key];
  return v !== undefined && ["true", "1", "on"].includes(v.toLowerCase());
}
