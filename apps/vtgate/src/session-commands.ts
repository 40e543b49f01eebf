/**
 * Statements vtgate answers from the session alone, recognised on the raw text before the parser runs (the
 * parser does not cover them, and none of them is on the hot path): SET NAMES / CHARACTER SET, SET TRANSACTION,
 * SQL-level PREPARE / EXECUTE / DEALLOCATE, KILL, SHOW WARNINGS / ERRORS and SET workload.
 */
export type SessionCommand =
  | { readonly kind: "SetNames"; readonly charset: string; readonly collation?: string }
  | { readonly kind: "SetTransaction"; readonly scope: "session" | "global" | "next"; readonly isolation?: string; readonly readOnly?: boolean }
  | { readonly kind: "Prepare"; readonly name: string; readonly text?: string; readonly fromVar?: string }
  | { readonly kind: "Execute"; readonly name: string; readonly using: readonly string[] }
  | { readonly kind: "Deallocate"; readonly name: string }
  | { readonly kind: "Kill"; readonly query: boolean; readonly id: number }
  | { readonly kind: "ShowWarnings"; readonly errorsOnly: boolean; readonly count: boolean };

/** First keywords that may start a session command (cheap pre-check). */
const FIRST = new Set(["set", "prepare", "execute", "deallocate", "drop", "kill", "show"]);

const ident = String.raw`(?:\x60((?:[^\x60]|\x60\x60)+)\x60|([A-Za-z0-9_$]+))`;
const unIdent = (q: string | undefined, bare: string | undefined): string => (q !== undefined ? q.replace(/``/g, "`") : bare ?? "");
const strip = (sql: string): string => sql.trim().replace(/;\s*$/, "").trim();

const SET_NAMES = /^set\s+(?:names|character\s+set|charset)\s+(?:'([^']*)'|"([^"]*)"|([A-Za-z0-9_]+))(?:\s+collate\s+(?:'([^']*)'|"([^"]*)"|([A-Za-z0-9_]+)))?$/i;
const SET_TX = /^set\s+(?:(session|global|local|@@session\.|@@global\.)\s*)?transaction\s+(.+)$/i;
const PREPARE = new RegExp(String.raw`^prepare\s+${ident}\s+from\s+(?:'((?:[^'\\]|\\.|'')*)'|"((?:[^"\\]|\\.|"")*)"|@([A-Za-z0-9_$.]+))$`, "is");
const EXECUTE = new RegExp(String.raw`^execute\s+${ident}(?:\s+using\s+(.+))?$`, "is");
const DEALLOCATE = new RegExp(String.raw`^(?:deallocate|drop)\s+prepare\s+${ident}$`, "i");
const KILL = /^kill\s+(?:(query|connection)\s+)?(\d+)$/i;
const SHOW_WARNINGS = /^show\s+(?:(count\s*\(\s*\*\s*\))\s+)?(warnings|errors)(?:\s+limit\s+[\d\s,]+)?$/i;

/** Recognises a session command; `firstKeyword` is the lexer's lower-case first keyword. */
export function matchSessionCommand(sql: string, firstKeyword: string): SessionCommand | undefined {
  if (!FIRST.has(firstKeyword)) return undefined;
  const s = strip(sql);
  let m: RegExpExecArray | null;
  switch (firstKeyword) {
    case "set":
      if ((m = SET_NAMES.exec(s))) {
        const charset = m[1] ?? m[2] ?? m[3] ?? "";
        const collation = m[4] ?? m[5] ?? m[6];
        return { kind: "SetNames", charset, ...(collation !== undefined ? { collation } : {}) };
      }
      if ((m = SET_TX.exec(s))) return setTransaction(m[1], m[2]!);
      return undefined;
    case "prepare":
      if (!(m = PREPARE.exec(s))) return undefined;
      if (m[5] !== undefined) return { kind: "Prepare", name: unIdent(m[1], m[2]).toLowerCase(), fromVar: m[5].toLowerCase() };
      return { kind: "Prepare", name: unIdent(m[1], m[2]).toLowerCase(), text: unquote(m[3] ?? m[4] ?? "", m[3] !== undefined ? "'" : '"') };
    case "execute": {
      if (!(m = EXECUTE.exec(s))) return undefined;
      const using = m[3] === undefined ? [] : m[3].split(",").map((v) => v.trim().replace(/^@/, "").toLowerCase());
      return { kind: "Execute", name: unIdent(m[1], m[2]).toLowerCase(), using };
    }
    case "deallocate": case "drop":
      return (m = DEALLOCATE.exec(s)) ? { kind: "Deallocate", name: unIdent(m[1], m[2]).toLowerCase() } : undefined;
    case "kill":
      return (m = KILL.exec(s)) ? { kind: "Kill", query: m[1]?.toLowerCase() === "query", id: Number(m[2]) } : undefined;
    case "show":
      return (m = SHOW_WARNINGS.exec(s)) ? { kind: "ShowWarnings", errorsOnly: m[2]!.toLowerCase() === "errors", count: m[1] !== undefined } : undefined;
  }
  return undefined;
}

function setTransaction(scopeText: string | undefined, rest: string): SessionCommand | undefined {
  const scope = scopeText === undefined ? "next" : /global/i.test(scopeText) ? "global" : "session";
  let isolation: string | undefined;
  let readOnly: boolean | undefined;
  for (const part of rest.split(",").map((p) => p.trim().toLowerCase().replace(/\s+/g, " "))) {
    const iso = /^isolation level (read uncommitted|read committed|repeatable read|serializable)$/.exec(part);
    if (iso) isolation = iso[1]!.toUpperCase();
    else if (part === "read only") readOnly = true;
    else if (part === "read write") readOnly = false;
    else return undefined;
  }
  return { kind: "SetTransaction", scope, ...(isolation ? { isolation } : {}), ...(readOnly !== undefined ? { readOnly } : {}) };
}

/** Undoes SQL string-literal escaping (backslash escapes and doubled quotes). */
export function unquote(body: string, quote: "'" | '"'): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\\" && i + 1 < body.length) {
      const n = body[++i]!;
      out += n === "n" ? "\n" : n === "t" ? "\t" : n === "r" ? "\r" : n === "0" ? "\0" : n === "Z" ? "\x1a" : n;
    } else if (ch === quote && body[i + 1] === quote) {
      out += quote;
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}
