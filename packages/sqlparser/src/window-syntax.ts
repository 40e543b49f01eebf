// Window functions from tokens. node-sql-parser cannot parse RANGE frames, named windows under the MariaDB grammar or
// `WINDOW w AS (...)` clauses reliably, so before it runs each `f(args) OVER (spec)` is rewritten to the wrapper call
// `__vtwinN(f(args))`, WINDOW clauses are cut out, and the specifications are parsed here (their expressions through
// the regular parser). convert-expr.ts turns `__vtwinN(...)` back into a WindowFunc carrying specs[N].
import { SqlError } from "@vt/errors";
import type { Expr, FrameBound, OrderBy, WindowFrame, WindowSpec } from "./ast.js";
import type { Words } from "./vitess-syntax.js";

/** Name prefix of the wrapper call that marks a window function for node-sql-parser. */
export const WINDOW_PREFIX = "__vtwin";

/** A text edit on the statement: [start, end) is replaced by `text` (start === end inserts). */
export interface TextEdit { readonly start: number; readonly end: number; readonly text: string }

/** How the specification's pieces are parsed (the regular parser, injected to avoid an import cycle). */
export interface SpecParsers {
  exprs(text: string): readonly Expr[];
  orderBy(text: string): readonly OrderBy[];
  expr(text: string): Expr;
}

/** The window sites of a statement: the edits to apply to its text and the resolved spec of each wrapper. */
export interface WindowSites { readonly edits: TextEdit[]; readonly specs: WindowSpec[] }

interface RawSpec { readonly base?: string; readonly from: number; readonly to: number; readonly at: number }

/**
 * Finds window functions and WINDOW clauses in `w`. Throws SqlError 1064 for a malformed specification and 4005 for
 * a reference to an undefined window name.
 */
export function findWindows(w: Words, parsers: SpecParsers): WindowSites {
  const match = matchParens(w);
  const edits: TextEdit[] = [];
  const named = new Map<string, RawSpec>();
  const sites: RawSpec[] = [];
  const tok = (i: number) => w.tokens[i]!;
  for (let i = 0; i < w.tokens.length; i++) {
    const l = w.lower[i];
    if (l === "window" && tok(i).type === "ident" && w.lower[i + 2] === "as" && w.lower[i + 3] === "(") {
      let j = i;
      let end = i;
      while (w.lower[j + 2] === "as" && w.lower[j + 3] === "(") {
        const close = match.get(j + 3);
        if (close === undefined) throw specError(w, j);
        named.set(w.lower[j + 1]!, rawSpec(w, j + 4, close, j));
        end = close;
        j = close + 1;
        if (w.lower[j] !== ",") break;
      }
      edits.push({ start: tok(i).start, end: tok(end).end, text: " " });
      i = end;
      continue;
    }
    if (l !== "over" || w.lower[i - 1] !== ")") continue;
    const open = match.get(i - 1);
    if (open === undefined || open < 1 || tok(open - 1).type !== "ident") continue;
    let end: number;
    let spec: RawSpec;
    if (w.lower[i + 1] === "(") {
      const close = match.get(i + 1);
      if (close === undefined) throw specError(w, i);
      spec = rawSpec(w, i + 2, close, i);
      end = close;
    } else if (w.tokens[i + 1] && ["ident", "quotedIdent"].includes(tok(i + 1).type)) {
      spec = { base: w.lower[i + 1]!.replaceAll("`", ""), from: i + 2, to: i + 2, at: i };
      end = i + 1;
    } else continue;
    edits.push({ start: tok(open - 1).start, end: tok(open - 1).start, text: `${WINDOW_PREFIX}${sites.length}(` });
    edits.push({ start: tok(i).start, end: tok(end).end, text: ")" });
    sites.push(spec);
  }
  const resolve = (s: RawSpec, seen: Set<string>): WindowSpec => {
    const own = parseSpec(w, s, parsers);
    if (s.base === undefined) return own;
    const b = named.get(s.base);
    if (!b || seen.has(s.base)) throw new SqlError(4005, "HY000", `Window specification with name '${s.base}' is not defined`, "INVALID_ARGUMENT");
    const base = resolve(b, new Set([...seen, s.base]));
    return {
      partitionBy: base.partitionBy, orderBy: own.orderBy.length > 0 ? own.orderBy : base.orderBy,
      ...(own.frame ?? base.frame ? { frame: (own.frame ?? base.frame)! } : {}),
    };
  };
  return { edits: edits.sort((a, b) => a.start - b.start || a.end - b.end), specs: sites.map((s) => resolve(s, new Set())) };
}

/** Offsets of matching parentheses: open token index → close token index and back. */
function matchParens(w: Words): Map<number, number> {
  const out = new Map<number, number>();
  const stack: number[] = [];
  w.lower.forEach((l, i) => {
    if (w.tokens[i]!.type !== "punct") return;
    if (l === "(") stack.push(i);
    else if (l === ")" && stack.length > 0) {
      const o = stack.pop()!;
      out.set(o, i);
      out.set(i, o);
    }
  });
  return out;
}

const SPEC_WORDS = new Set(["partition", "order", "rows", "range", "groups"]);

/** The tokens [from, to) of a specification, with its leading base window name split off. */
function rawSpec(w: Words, from: number, to: number, at: number): RawSpec {
  const t = w.tokens[from];
  if (from < to && t && (t.type === "quotedIdent" || (t.type === "ident" && !SPEC_WORDS.has(w.lower[from]!)))) {
    return { base: w.lower[from]!.replaceAll("`", ""), from: from + 1, to, at };
  }
  return { from, to, at };
}

const specError = (w: Words, i: number): SqlError =>
  new SqlError(1064, "42000", `You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near '${w.sql.slice(w.tokens[i]?.start ?? 0, (w.tokens[i]?.start ?? 0) + 40)}'`, "INVALID_ARGUMENT");

/** PARTITION BY, ORDER BY and the frame of one specification. */
function parseSpec(w: Words, s: RawSpec, parsers: SpecParsers): WindowSpec {
  let i = s.from;
  const text = (a: number, b: number) => w.sql.slice(w.tokens[a]!.start, w.tokens[b - 1]!.end);
  // The end of a clause: the next depth-0 token among `stops`.
  const until = (from: number, stops: ReadonlySet<string>): number => {
    let depth = 0;
    for (let j = from; j < s.to; j++) {
      const l = w.lower[j]!;
      if (l === "(") depth++;
      else if (l === ")") depth--;
      else if (depth === 0 && stops.has(l)) return j;
    }
    return s.to;
  };
  let partitionBy: readonly Expr[] = [];
  let orderBy: readonly OrderBy[] = [];
  if (w.lower[i] === "partition" && w.lower[i + 1] === "by") {
    const end = until(i + 2, new Set(["order", "rows", "range", "groups"]));
    if (end === i + 2) throw specError(w, i);
    partitionBy = parsers.exprs(text(i + 2, end));
    i = end;
  }
  if (w.lower[i] === "order" && w.lower[i + 1] === "by") {
    const end = until(i + 2, new Set(["rows", "range", "groups"]));
    if (end === i + 2) throw specError(w, i);
    orderBy = parsers.orderBy(text(i + 2, end));
    i = end;
  }
  if (i >= s.to) return { partitionBy, orderBy };
  const unit = w.lower[i];
  if (unit !== "rows" && unit !== "range") throw specError(w, i);
  i++;
  const bound = (from: number): { b: FrameBound; next: number } => {
    const end = until(from, new Set(["preceding", "following", "row"]));
    if (end >= s.to) throw specError(w, from);
    const last = w.lower[end]!;
    const words = w.lower.slice(from, end);
    if (last === "row") {
      if (words.length !== 1 || words[0] !== "current") throw specError(w, from);
      return { b: { type: "current row" }, next: end + 1 };
    }
    if (words.length === 1 && words[0] === "unbounded") return { b: { type: last === "preceding" ? "unbounded preceding" : "unbounded following" }, next: end + 1 };
    if (words.length === 0) throw specError(w, from);
    return { b: { type: last as "preceding" | "following", expr: parsers.expr(text(from, end)) }, next: end + 1 };
  };
  let frame: WindowFrame;
  if (w.lower[i] === "between") {
    const start = bound(i + 1);
    if (w.lower[start.next] !== "and") throw specError(w, start.next);
    const end = bound(start.next + 1);
    if (end.next !== s.to) throw specError(w, end.next);
    frame = { unit, start: start.b, end: end.b };
  } else {
    const start = bound(i);
    if (start.next !== s.to) throw specError(w, start.next);
    frame = { unit, start: start.b, end: { type: "current row" } };
  }
  return { partitionBy, orderBy, frame };
}
