import { ER, SqlError, SS } from "@vt/errors";
import NodeSqlParser from "node-sql-parser";
import type { Select, SelectStatement, Statement } from "./ast.js";
import { findWindows, type SpecParsers, type TextEdit } from "./window-syntax.js";
import { convertExpr, DISTINCT_SUFFIX, FUNCTION_SUFFIX, LIST_ARG_PREFIX, NUMBER_ARG_PREFIX, type ConvertCtx, type N } from "./convert-expr.js";
import { convertSelect, convertStatement } from "./convert-statement.js";
import { LexError } from "./lexer.js";
import { fastParse } from "./fast-parse.js";
import { naturalJoinEdits } from "./natural-join-syntax.js";
import { formatExpr } from "./format.js";
import { implicitColumnName, selectListTexts } from "./select-list-texts.js";
import { syntaxError } from "./syntax-error.js";
import { parseVitessSyntax, words, type Words } from "./vitess-syntax.js";

const { Parser } = NodeSqlParser;
const MARIADB = { database: "MariaDB" } as const;
const MYSQL = { database: "MySQL" } as const;
const PARSED = new Set(["select", "insert", "replace", "update", "delete", "set", "with", "("]);

/**
 * Parses one MySQL statement into our AST. Vitess-only syntax, transactions, SHOW, USE and DDL are recognised from
 * tokens; SELECT/INSERT/UPDATE/DELETE/SET go through node-sql-parser (MariaDB grammar, MySQL as a fallback);
 * anything else becomes an `Other` passthrough. Bind variables `:name` and `::name` are accepted.
 * Throws SqlError 1064/42000 on a syntax error, 1065 on an empty query.
 */
export function parse(sql: string): Statement {
  return parseWith(sql, true);
}

/** parse() without the fast path: every SELECT/INSERT/UPDATE/DELETE goes through node-sql-parser (tests, tooling). */
export function parseFull(sql: string): Statement {
  return parseWith(sql, false);
}

function parseWith(sql: string, fast: boolean): Statement {
  let w: Words;
  try {
    w = words(sql);
  } catch (e) {
    if (e instanceof LexError) throw syntaxError(sql, e.position);
    throw e;
  }
  if (w.tokens.length === 0) throw new SqlError(ER.EMPTY_QUERY, SS.SYNTAX, "Query was empty", "INVALID_ARGUMENT");
  const vitess = parseVitessSyntax(w);
  if (vitess) return vitess;
  if (!PARSED.has(w.lower[0]!)) throw syntaxError(sql, w.tokens[0]!.start);
  if (fast) {
    const stmt = fastParse(w);
    if (stmt !== undefined) return stmt.kind === "Select" ? withImplicitAliases(stmt, selectListTexts(sql, w.tokens)) : stmt;
  }
  const windows = w.lower.some((l) => l === "over") ? findWindows(w, SPEC_PARSERS) : { edits: [], specs: [] };
  const natural = w.lower.includes("natural") ? naturalJoinEdits(w) : [];
  const text = prepareText(w, natural.length > 0 ? [...windows.edits, ...natural].sort((a, b) => a.start - b.start) : windows.edits);
  const parser = new Parser();
  const ast = astify(parser, text, sql);
  const one: N = Array.isArray(ast) ? (ast.length === 1 ? ast[0] : multi()) : ast;
  const ctx: ConvertCtx = {
    select: (a: N): SelectStatement => convertSelect(a, ctx),
    raw: (e: N): string => parser.exprToSQL(e, MARIADB),
    windows: windows.specs,
  };
  const stmt = convertStatement(one, ctx);
  if (stmt === undefined) return { kind: "Other", text: sql.slice(w.tokens[0]!.start, w.tokens[w.tokens.length - 1]!.end) };
  return stmt.kind === "Select" || stmt.kind === "Union" ? withImplicitAliases(stmt, selectListTexts(sql, w.tokens)) : stmt;
}

/**
 * Gives each unaliased select item of the first SELECT the column name MariaDB would give it (its text as written),
 * so the shards return that name. Unchanged when the texts do not line up with the columns.
 */
function withImplicitAliases(stmt: SelectStatement, texts: string[]): SelectStatement {
  if (stmt.kind === "Union") return { ...stmt, left: withImplicitAliases(stmt.left, texts) };
  if (texts.length !== stmt.columns.length) return stmt;
  const columns = stmt.columns.map((c, i) => {
    if (c.kind !== "AliasedExpr" || c.as !== undefined || c.expr.kind === "Column") return c;
    const name = implicitColumnName(texts[i]!);
    return name === undefined || name === formatExpr(c.expr) ? c : { ...c, as: name, implicitAlias: true as const };
  });
  return { ...stmt, columns };
}

/** Parses a single expression (test and tooling helper). Throws SqlError 1064 on a syntax error. */
export function parseExpr(sql: string): import("./ast.js").Expr {
  const stmt = parse(`select ${sql} from dual`);
  if (stmt.kind !== "Select" || stmt.columns[0]?.kind !== "AliasedExpr") throw syntaxError(sql, 0);
  return stmt.columns[0].expr;
}

function multi(): never {
  throw new SqlError(ER.PARSE_ERROR, SS.SYNTAX, "VT12001: unsupported: multiple statements in one query", "UNIMPLEMENTED");
}

const DISTINCT_AGGREGATES = new Set(["sum", "avg", "min", "max"]);
/** Function names node-sql-parser rejects: they travel as `name__vtfn(...)`. */
const RENAMED_FUNCTIONS = new Set(["std", "variance"]);

/** Window specification pieces go through the regular parser. */
const SPEC_PARSERS: SpecParsers = {
  exprs: (text) => (parse(`select 1 from dual group by ${text}`) as Select).groupBy,
  orderBy: (text) => (parse(`select 1 from dual order by ${text}`) as Select).orderBy,
  expr: (text) => parseExpr(text),
};

/**
 * Statement text for node-sql-parser: `::name` list args rewritten to `:__vtlist_name`, trailing `;` dropped, and the
 * window edits (findWindows) applied.
 */
function prepareText(w: Words, edits: readonly TextEdit[]): string {
  const first = w.tokens[0]!;
  const last = w.tokens[w.tokens.length - 1]!;
  let out = "";
  let pos = first.start;
  let e = 0;
  for (let i = 0; i < w.tokens.length; i++) {
    let t = w.tokens[i]!;
    while (e < edits.length && edits[e]!.start <= t.start) {
      const edit = edits[e++]!;
      out += `${w.sql.slice(pos, edit.start)}${edit.text}`;
      pos = edit.end;
      while (edit.end > edit.start && i < w.tokens.length && w.tokens[i]!.start < edit.end) i++;
    }
    if (i >= w.tokens.length) break;
    t = w.tokens[i]!;
    if (t.type === "ident" && RENAMED_FUNCTIONS.has(w.lower[i]!) && w.lower[i + 1] === "(") {
      out += `${w.sql.slice(pos, t.end)}${FUNCTION_SUFFIX}`;
      pos = t.end;
      continue;
    }
    // node-sql-parser knows DISTINCT only in COUNT(): `SUM(DISTINCT x)` travels as `sum__vtdistinct(x)`.
    if (t.type === "ident" && DISTINCT_AGGREGATES.has(w.lower[i]!) && w.lower[i + 1] === "(" && w.lower[i + 2] === "distinct") {
      out += `${w.sql.slice(pos, t.end)}${DISTINCT_SUFFIX}(`;
      pos = w.tokens[i + 2]!.end;
      i += 2;
      continue;
    }
    if ((t.type === "int" || t.type === "decimal") && t.end - t.start > 15) {
      // node-sql-parser reads numbers as JS doubles; long ones travel as a parameter holding their text.
      out += `${w.sql.slice(pos, t.start)}:${NUMBER_ARG_PREFIX}${w.sql.slice(t.start, t.end).replace(".", "_")}`;
      pos = t.end;
      continue;
    }
    if (t.type !== "listArg") continue;
    out += `${w.sql.slice(pos, t.start)}(:${LIST_ARG_PREFIX}${w.sql.slice(t.start + 2, t.end)})`;
    pos = t.end;
  }
  return out + (pos < last.end ? w.sql.slice(pos, last.end) : "");
}

function astify(parser: InstanceType<typeof Parser>, text: string, original: string): N {
  try {
    return parser.astify(text, MARIADB);
  } catch (first) {
    try {
      return parser.astify(text, MYSQL);
    } catch {
      const loc = (first as { location?: { start?: { offset?: number } } }).location?.start?.offset;
      const offset = typeof loc === "number" ? loc + Math.max(0, original.indexOf(text.slice(0, 16))) : 0;
      throw syntaxError(original, offset);
    }
  }
}

export { convertExpr };
