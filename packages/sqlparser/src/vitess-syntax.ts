// Statements recognised from tokens before the generic parser: Vitess-only syntax (SHOW VITESS_*, USE targets,
// NEXT VALUES, VEXPLAIN), transactions and savepoints, SHOW/DDL/other passthroughs.
import type { DDL, Expr, Show, Statement, TableName } from "./ast.js";
import { tokenize, unquote, type Token } from "./lexer.js";

/** Token view with lower-cased words. */
export interface Words { readonly sql: string; readonly tokens: readonly Token[]; readonly lower: readonly string[] }

/** Lexes `sql` (comments dropped) into a Words view. Throws LexError. */
export function words(sql: string): Words {
  const tokens = tokenize(sql).filter((t) => t.type !== "comment");
  while (tokens.length > 0 && sql.slice(tokens[tokens.length - 1]!.start, tokens[tokens.length - 1]!.end) === ";") tokens.pop();
  return { sql, tokens, lower: tokens.map((t) => sql.slice(t.start, t.end).toLowerCase()) };
}

const textFrom = (w: Words, i: number): string => {
  const t = w.tokens[i];
  const last = w.tokens[w.tokens.length - 1];
  return t && last ? w.sql.slice(t.start, last.end) : "";
};

const identAt = (w: Words, i: number): string => {
  const t = w.tokens[i];
  if (!t) return "";
  const s = w.sql.slice(t.start, t.end);
  return t.type === "quotedIdent" || t.type === "string" ? unquote(s) : s;
};

/** Reads `[qualifier.]name` at token i; returns the name and the next index. */
export function tableNameAt(w: Words, i: number): { table: TableName; next: number } | undefined {
  if (!w.tokens[i] || !["ident", "quotedIdent"].includes(w.tokens[i]!.type)) return undefined;
  const first = identAt(w, i);
  if (w.lower[i + 1] === "." && w.tokens[i + 2]) return { table: { qualifier: first, name: identAt(w, i + 2) }, next: i + 3 };
  return { table: { name: first }, next: i + 1 };
}

/** The statement for Vitess-only and passthrough syntax, or undefined when the generic parser should run. */
export function parseVitessSyntax(w: Words): Statement | undefined {
  const [a = "", b = "", c = ""] = w.lower;
  const whole = textFrom(w, 0);
  switch (a) {
    case "show": return parseShow(w);
    case "use": return { kind: "Use", target: useTarget(w) };
    case "begin": return { kind: "Begin", text: whole };
    case "start": return b === "transaction" ? { kind: "Begin", text: whole } : { kind: "Other", text: whole };
    case "commit": return { kind: "Commit" };
    case "rollback": {
      const to = w.lower.indexOf("to");
      if (to < 0) return { kind: "Rollback" };
      const at = w.lower[to + 1] === "savepoint" ? to + 2 : to + 1;
      return { kind: "Rollback", savepoint: identAt(w, at) };
    }
    case "savepoint": return { kind: "Savepoint", name: identAt(w, 1) };
    case "release": return { kind: "Savepoint", name: identAt(w, 2), release: true };
    case "select":
      if (b === "next") return parseNext(w);
      return undefined;
    case "vexplain": {
      const type = b === "queries" || b === "plan" || b === "all" ? b : undefined;
      return { kind: "VExplain", type: type ?? "plan", statement: { kind: "Other", text: textFrom(w, type ? 2 : 1) } };
    }
    case "explain":
      if (b === "format" && c === "=" && w.lower[3] === "vitess") return { kind: "VExplain", type: "plan", statement: { kind: "Other", text: textFrom(w, 4) } };
      return { kind: "Other", text: whole };
    case "create": case "alter": case "drop": case "truncate": case "rename": return parseDDL(w);
    case "insert": case "replace": case "update": case "delete": case "set": case "(": case "with": return undefined;
    default:
      if (PASSTHROUGH.has(a)) return { kind: "Other", text: whole };
      return undefined;
  }
}

/** Statements we pass through whole without parsing; any other unknown first word is a syntax error. */
const PASSTHROUGH = new Set(["call", "describe", "desc", "lock", "unlock", "flush", "analyze", "optimize", "check",
  "repair", "grant", "revoke", "kill", "load", "do", "handler", "prepare", "execute", "deallocate", "help", "checksum",
  "xa", "signal", "resignal", "reset", "purge", "install", "uninstall", "cache", "binlog", "change", "stop", "values",
  "table", "get", "declare"]);

function useTarget(w: Words): string {
  const t = w.tokens[1];
  if (!t) return "";
  const s = textFrom(w, 1).trim();
  if (t.type === "quotedIdent" && w.tokens.length === 2) return unquote(s);
  return s.replace(/\s+/g, "");
}

function parseShow(w: Words): Show {
  const text = textFrom(w, 0);
  const [, b = "", c = ""] = w.lower;
  const likeAt = w.lower.indexOf("like");
  const like = likeAt > 0 && w.tokens[likeAt + 1] ? identAt(w, likeAt + 1) : undefined;
  const base = { kind: "Show" as const, text, ...(like !== undefined ? { like } : {}) };
  switch (b) {
    case "vitess_shards": return { ...base, show: "vitess_shards" };
    case "vitess_tablets": return { ...base, show: "vitess_tablets" };
    case "keyspaces": case "vitess_keyspaces": case "databases": return { ...base, show: "keyspaces" };
    case "vitess_target": return { ...base, show: "vitess_target" };
    case "vitess_replication_status": return { ...base, show: "vitess_replication_status" };
    case "vschema": {
      if (c === "tables") return { ...base, show: "vschema_tables" };
      if (c === "keyspaces") return { ...base, show: "vschema_keyspaces" };
      if (c === "vindexes") {
        const on = w.lower.indexOf("on");
        const t = on > 0 ? tableNameAt(w, on + 1) : undefined;
        return { ...base, show: "vschema_vindexes", ...(t ? { on: t.table } : {}) };
      }
      return { ...base, show: "other" };
    }
    default: return { ...base, show: "other" };
  }
}

function parseNext(w: Words): Statement | undefined {
  // select next value from t | select next N values from t
  const from = w.lower.indexOf("from");
  if (from < 0) return undefined;
  let count: Expr = { kind: "Literal", type: "int", value: "1" };
  if (w.lower[2] !== "value") {
    const t = w.tokens[2];
    if (!t) return undefined;
    const s = w.sql.slice(t.start, t.end);
    count = t.type === "arg" ? { kind: "Arg", name: s.slice(1) } : { kind: "Literal", type: "int", value: s };
  }
  const t = tableNameAt(w, from + 1);
  return t ? { kind: "NextVal", count, table: t.table } : undefined;
}

const SKIP_WORDS = new Set(["if", "not", "exists", "temporary", "or", "replace", "table", "tables", "view", "unique",
  "fulltext", "spatial", "online", "offline", "ignore", "definer", "algorithm", "sql", "security"]);

function parseDDL(w: Words): DDL {
  const text = textFrom(w, 0);
  const verb = w.lower[0] as "create" | "alter" | "drop" | "truncate" | "rename";
  const isView = w.lower.slice(1, 6).includes("view");
  const isIndex = w.lower.slice(1, 4).includes("index");
  const isTable = w.lower.slice(1, 4).some((x) => x === "table" || x === "tables") || verb === "truncate";
  const action: DDL["action"] = isView ? (verb === "drop" ? "drop view" : verb === "create" ? "create view" : "other")
    : isTable || isIndex ? verb : "other";
  const tables: TableName[] = [];
  if (isIndex) {
    const on = w.lower.indexOf("on");
    const t = on > 0 ? tableNameAt(w, on + 1) : undefined;
    if (t) tables.push(t.table);
  } else if (isTable || isView) {
    let i = 1;
    while (i < w.lower.length && SKIP_WORDS.has(w.lower[i]!)) i++;
    for (;;) {
      const t = tableNameAt(w, i);
      if (!t) break;
      tables.push(t.table);
      i = t.next;
      if (verb === "rename" && w.lower[i] === "to") { i += 1; const to = tableNameAt(w, i); if (to) { tables.push(to.table); i = to.next; } }
      if (w.lower[i] !== "," || !(verb === "drop" || verb === "rename")) break;
      i++;
    }
  }
  return { kind: "DDL", action, tables, text };
}
