// Canonical MySQL text of our AST, Vitess style: lower-case keywords, backticks only where needed, bind variables
// printed as `:name` / `::name`.
import type { Expr, FrameBound, Limit, WindowSpec, OrderBy, SelectExpr, SelectStatement, Statement, TableExpr, TableName, UpdateExpr } from "./ast.js";
import { quoteString } from "./encode.js";

const RESERVED = new Set([
  "accessible", "add", "all", "alter", "analyze", "and", "as", "asc", "before", "between", "bigint", "binary", "blob",
  "both", "by", "call", "cascade", "case", "change", "char", "character", "check", "collate", "column", "condition",
  "constraint", "continue", "convert", "create", "cross", "current_date", "current_time", "current_timestamp",
  "current_user", "cursor", "database", "databases", "day_hour", "dec", "decimal", "declare", "default", "delayed",
  "delete", "desc", "describe", "distinct", "distinctrow", "div", "double", "drop", "dual", "each", "else", "elseif",
  "enclosed", "escaped", "exists", "exit", "explain", "false", "fetch", "float", "for", "force", "foreign", "from",
  "fulltext", "function", "generated", "grant", "group", "having", "if", "ignore", "in", "index", "infile", "inner",
  "inout", "insert", "int", "integer", "interval", "into", "is", "iterate", "join", "key", "keys", "kill", "leading",
  "leave", "left", "like", "limit", "lines", "load", "localtime", "localtimestamp", "lock", "long", "loop",
  "match", "mod", "modifies", "natural", "not", "null", "numeric", "on", "optimize", "option", "or", "order", "out",
  "outer", "partition", "precision", "primary", "procedure", "range", "read", "reads", "real", "references", "regexp",
  "release", "rename", "repeat", "replace", "require", "restrict", "return", "revoke", "right", "rlike", "schema",
  "schemas", "select", "separator", "set", "show", "smallint", "spatial", "sql", "ssl", "starting",
  "straight_join", "table", "terminated", "then", "to", "trailing", "trigger", "true", "undo", "union", "unique",
  "unlock", "unsigned", "update", "usage", "use", "using", "values", "varbinary", "varchar", "when", "where", "while",
  "window", "with", "write", "xor", "zerofill", "user", "rank", "row", "rows", "groups", "over", "system",
]);

/** An identifier, backtick-quoted when it is a reserved word or not a plain name. */
export function formatIdent(name: string): string {
  if (/^[a-zA-Z_$][a-zA-Z0-9_$]*$/.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  return "`" + name.replaceAll("`", "``") + "`";
}

/** `qualifier.name`. */
export const formatTableName = (t: TableName): string =>
  t.qualifier ? `${formatIdent(t.qualifier)}.${formatIdent(t.name)}` : formatIdent(t.name);

const PREC: Record<string, number> = {
  "or": 1, "xor": 2, "and": 3, "=": 6, "<=>": 6, ">=": 6, ">": 6, "<=": 6, "<": 6, "!=": 6, "is": 6, "is not": 6,
  "like": 6, "not like": 6, "regexp": 6, "not regexp": 6, "rlike": 6, "in": 6, "not in": 6, "|": 7, "&": 8,
  "<<": 9, ">>": 9, "+": 10, "-": 10, "*": 11, "/": 11, "div": 11, "%": 11, "mod": 11, "^": 12,
  "->": 15, "->>": 15, ":=": 0,
};

function precedence(e: Expr): number {
  switch (e.kind) {
    case "Binary": return PREC[e.op] ?? 6;
    case "Between": return 5;
    case "Unary": return e.op === "not" ? 4 : 13;
    default: return 100;
  }
}

function paren(e: Expr, min: number): string {
  const s = formatExpr(e);
  return precedence(e) < min ? `(${s})` : s;
}

/** Text of one expression. */
export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case "Literal": return formatLiteral(e.type, e.value);
    case "Arg": return e.list ? `::${e.name}` : `:${e.name}`;
    case "Column": return [e.qualifier, e.table, e.name].filter((x) => x !== undefined).map((x) => formatIdent(x!)).join(".");
    case "Star": return e.table ? `${formatIdent(e.table)}.*` : "*";
    case "Binary": {
      const p = PREC[e.op] ?? 6;
      return `${paren(e.left, p)} ${e.op} ${paren(e.right, p + 1)}`;
    }
    case "Unary": return e.op === "not" ? `not ${paren(e.expr, 4)}` : `${e.op}${paren(e.expr, 13)}`;
    case "Tuple": return `(${e.exprs.map(formatExpr).join(", ")})`;
    case "Between": return `${paren(e.expr, 6)} ${e.not ? "not between" : "between"} ${paren(e.low, 6)} and ${paren(e.high, 6)}`;
    case "FuncCall":
      return `${e.name}(${e.distinct ? "distinct " : ""}${e.args.map(formatExpr).join(", ")}${e.orderBy ? formatOrderBy(e.orderBy) : ""}${
        e.separator !== undefined ? ` separator ${quoteString(e.separator)}` : ""})`;
    case "Case": {
      const parts = ["case"];
      if (e.expr) parts.push(formatExpr(e.expr));
      for (const w of e.whens) parts.push(`when ${formatExpr(w.cond)} then ${formatExpr(w.result)}`);
      if (e.else) parts.push(`else ${formatExpr(e.else)}`);
      parts.push("end");
      return parts.join(" ");
    }
    case "Subquery": return `(${formatSelect(e.select)})`;
    case "Exists": return `${e.not ? "not " : ""}exists (${formatSelect(e.select)})`;
    case "Variable":
      if (e.scope === "user") return `@${formatIdent(e.name)}`;
      if (e.scope === "global") return `@@global.${e.name}`;
      return e.explicit ? `@@${e.name}` : e.name;
    case "WindowFunc": return `${formatExpr(e.func)} over (${formatWindowSpec(e.over)})`;
    case "RawExpr": return e.text;
  }
}

/** Text of a window specification (inside OVER's parentheses). */
export function formatWindowSpec(w: WindowSpec): string {
  const parts: string[] = [];
  if (w.partitionBy.length > 0) parts.push(`partition by ${w.partitionBy.map(formatExpr).join(", ")}`);
  if (w.orderBy.length > 0) parts.push(formatOrderBy(w.orderBy).trimStart());
  if (w.frame) parts.push(`${w.frame.unit} between ${formatBound(w.frame.start)} and ${formatBound(w.frame.end)}`);
  return parts.join(" ");
}

const formatBound = (b: FrameBound): string => (b.expr ? `${formatExpr(b.expr)} ${b.type}` : b.type);

function formatLiteral(type: string, value: string): string {
  switch (type) {
    case "string": return quoteString(value);
    case "hex": return `X'${value}'`;
    case "bit": return `B'${value}'`;
    case "null": return "null";
    default: return value;
  }
}

const formatOrderBy = (o: readonly OrderBy[]): string =>
  o.length === 0 ? "" : ` order by ${o.map((x) => `${formatExpr(x.expr)}${x.desc ? " desc" : " asc"}`).join(", ")}`;
const formatLimit = (l: Limit | undefined): string =>
  !l ? "" : ` limit ${l.offset ? `${formatExpr(l.offset)}, ` : ""}${formatExpr(l.count)}`;

function formatSelectExpr(s: SelectExpr): string {
  if (s.kind === "Star") return formatExpr(s);
  return s.as !== undefined ? `${formatExpr(s.expr)} as ${formatIdent(s.as)}` : formatExpr(s.expr);
}

/** Text of a FROM item. */
export function formatTableExpr(t: TableExpr): string {
  switch (t.kind) {
    case "AliasedTable": return t.as ? `${formatTableName(t.table)} as ${formatIdent(t.as)}` : formatTableName(t.table);
    case "DerivedTable": return `(${formatSelect(t.select)}) as ${formatIdent(t.as)}`;
    case "JoinTable": {
      const cond = t.on ? ` on ${formatExpr(t.on)}` : t.using ? ` using (${t.using.map(formatIdent).join(", ")})` : "";
      const right = t.right.kind === "JoinTable" ? `(${formatTableExpr(t.right)})` : formatTableExpr(t.right);
      return `${formatTableExpr(t.left)} ${t.join} ${right}${cond}`;
    }
  }
}

/** Text of a SELECT or UNION. */
export function formatSelect(s: SelectStatement): string {
  if (s.kind === "Union" && s.recursive) {
    const name = formatIdent(s.recursive.name);
    const body: SelectStatement = { ...s };
    delete (body as { recursive?: unknown }).recursive;
    return `with recursive ${name} as (${formatSelect(body)}) select * from ${name}`;
  }
  if (s.kind === "Union") {
    // A part with its own ORDER BY/LIMIT is parenthesized so they stay its own.
    const own = (p: SelectStatement): boolean => p.kind === "Select" && (p.orderBy.length > 0 || p.limit !== undefined);
    const right = s.right.kind === "Union" || own(s.right) ? `(${formatSelect(s.right)})` : formatSelect(s.right);
    const left = own(s.left) ? `(${formatSelect(s.left)})` : formatSelect(s.left);
    return `${left} union ${s.distinct ? "" : "all "}${right}${formatOrderBy(s.orderBy)}${formatLimit(s.limit)}`;
  }
  let out = `select ${s.calcFoundRows ? "sql_calc_found_rows " : ""}${s.distinct ? "distinct " : ""}${s.columns.map(formatSelectExpr).join(", ")}`;
  out += ` from ${s.from.length === 0 ? "dual" : s.from.map(formatTableExpr).join(", ")}`;
  if (s.where) out += ` where ${formatExpr(s.where)}`;
  if (s.groupBy.length > 0) out += ` group by ${s.groupBy.map(formatExpr).join(", ")}${s.rollup ? " with rollup" : ""}`;
  if (s.having) out += ` having ${formatExpr(s.having)}`;
  out += formatOrderBy(s.orderBy) + formatLimit(s.limit);
  if (s.lock) out += ` ${s.lock}`;
  return out;
}

const formatUpdateExprs = (u: readonly UpdateExpr[]): string =>
  u.map((x) => `${formatExpr(x.column)} = ${formatExpr(x.expr)}`).join(", ");

/** Canonical MySQL text of a statement. Passthrough statements print their original text. */
export function format(stmt: Statement): string {
  switch (stmt.kind) {
    case "Select": case "Union": return formatSelect(stmt);
    case "Insert": {
      const cols = stmt.columns.length > 0 ? `(${stmt.columns.map(formatIdent).join(", ")})` : "";
      const src = Array.isArray(stmt.rows)
        ? ` values ${(stmt.rows as readonly (readonly Expr[])[]).map((r) => `(${r.map(formatExpr).join(", ")})`).join(", ")}`
        : ` ${formatSelect(stmt.rows as SelectStatement)}`;
      const dup = stmt.onDup.length > 0 ? ` on duplicate key update ${formatUpdateExprs(stmt.onDup)}` : "";
      return `${stmt.action} ${stmt.ignore ? "ignore " : ""}into ${formatTableName(stmt.table)}${cols}${src}${dup}`;
    }
    case "Update":
      return `update ${formatTableExpr(stmt.table)} set ${formatUpdateExprs(stmt.set)}${stmt.where ? ` where ${formatExpr(stmt.where)}` : ""}${formatOrderBy(stmt.orderBy)}${formatLimit(stmt.limit)}`;
    case "Delete":
      return `delete ${stmt.targets ? `${stmt.targets.map(formatTableName).join(", ")} ` : ""}from ${formatTableExpr(stmt.table)}${stmt.where ? ` where ${formatExpr(stmt.where)}` : ""}${formatOrderBy(stmt.orderBy)}${formatLimit(stmt.limit)}`;
    case "Set": return `set ${stmt.exprs.map((x) => `${formatExpr(x.variable)} = ${formatExpr(x.expr)}`).join(", ")}`;
    case "Use": return stmt.target === "" ? "use" : `use ${formatIdent(stmt.target)}`;
    case "Show": return stmt.text;
    case "Begin": return "begin";
    case "Commit": return "commit";
    case "Rollback": return stmt.savepoint ? `rollback to ${formatIdent(stmt.savepoint)}` : "rollback";
    case "Savepoint": return `${stmt.release ? "release savepoint" : "savepoint"} ${formatIdent(stmt.name)}`;
    case "DDL": case "Other": return stmt.text;
    case "NextVal": return `select next ${formatExpr(stmt.count)} values from ${formatTableName(stmt.table)}`;
    case "VExplain": return `vexplain ${stmt.type} ${format(stmt.statement)}`;
  }
}
