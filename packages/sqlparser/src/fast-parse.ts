// A hand-written recursive-descent parser for the statement shapes OLTP traffic sends (SELECT with simple
// expressions from tables and joins, INSERT ... VALUES, single-table UPDATE/DELETE). It builds our AST straight from
// the lexer's tokens, the same AST the node-sql-parser route yields after conversion, and gives up (returns
// undefined) on anything it does not know, so the full parser decides every other statement and every syntax error.
// Subqueries (scalar, IN, EXISTS), derived tables and INSERT ... SELECT are parsed recursively.
// Where node-sql-parser mis-parses valid SQL (bit-operator precedence, `||`, `NOT (...)`, `-1` folding, ESCAPE) this
// parser gives up too, so both routes always agree (fast-parse.test.ts checks that over the corpora and a fuzzer).
import type {
  Delete, Expr, Insert, Limit, OrderBy, Select, SelectExpr, Statement, TableExpr, TableName, Update, UpdateExpr,
} from "./ast.js";
import { unquote, type Token } from "./lexer.js";
import type { Words } from "./vitess-syntax.js";

/** Thrown inside the parser to give up; never escapes fastParse. */
const BAIL: unique symbol = Symbol("bail");

/** Words that end an expression or a list, or are keywords we do not take as names or aliases. */
const STOP = new Set([
  "from", "where", "group", "having", "order", "limit", "offset", "for", "lock", "union", "into", "join", "inner",
  "left", "right", "cross", "straight_join", "natural", "outer", "on", "using", "as", "and", "or", "xor", "not", "is",
  "in", "like", "between", "regexp", "rlike", "asc", "desc", "by", "set", "values", "value", "select", "distinct",
  "all", "null", "true", "false", "case", "when", "then", "else", "end", "exists", "interval", "binary", "collate",
  "div", "mod", "escape", "window", "with", "over", "partition", "use", "force", "ignore", "duplicate", "key",
  "update", "delete", "insert", "replace", "dual", "unknown", "default", "separator", "sounds", "member", "escape",
  "date", "time", "timestamp", "character", "char", "convert", "cast", "if", "match", "against", "row", "rows",
  "current_date", "current_time", "current_timestamp", "current_user", "localtime", "localtimestamp", "utc_date",
  "utc_time", "utc_timestamp", "low_priority", "high_priority", "delayed", "quick", "except", "intersect", "returning",
  "procedure", "share", "mode", "nowait", "skip", "straight_join", "sql_calc_found_rows", "sql_no_cache", "sql_cache",
  "sql_small_result", "sql_big_result", "sql_buffer_result", "distinctrow", "unique", "primary", "index", "table",
  "rollup", "any", "some", "sysdate", "now", "user", "schema", "database", "extract", "trim", "substring", "substr",
  "position", "group_concat", "json_arrayagg", "json_objectagg", "left", "right", "insert", "values", "count",
]);
/**
 * Scalar functions node-sql-parser reads as plain calls of expressions (no keyword arguments, no special syntax).
 * Anything else (CAST, TIMESTAMPDIFF(SECOND, ...), DATE_ADD(x, INTERVAL ...), TRIM(... FROM ...), ...) goes to it.
 */
const FUNCS = new Set([
  "concat", "concat_ws", "ifnull", "coalesce", "nullif", "lower", "upper", "lcase", "ucase", "length", "char_length",
  "abs", "round", "floor", "ceil", "ceiling", "greatest", "least", "md5", "sha1", "sha2", "hex", "unhex", "json_extract",
  "json_unquote", "json_object", "json_array", "json_type", "json_contains", "json_length", "date_format", "unix_timestamp",
  "from_unixtime", "last_insert_id", "found_rows", "row_count", "sqrt", "power", "pow", "sign", "crc32", "isnull",
  "reverse", "lpad", "rpad", "ltrim", "rtrim", "instr", "locate", "field", "find_in_set", "uuid", "rand", "truncate",
  "date", "year", "month", "day", "dayofmonth", "hour", "minute", "second", "to_days", "datediff", "str_to_date",
  "conv", "bin", "oct", "ascii", "ord", "space", "repeat", "strcmp", "format", "inet_aton", "inet_ntoa", "exp", "ln",
  "log", "log2", "log10", "sin", "cos", "tan", "pi", "degrees", "radians", "connection_id", "last_day", "weekday",
  "dayofweek", "dayofyear", "quarter", "week", "yearweek", "makedate", "sec_to_time", "time_to_sec", "to_seconds",
]);
/** Functions parsed by node-sql-parser as aggregates; they take `DISTINCT` and (COUNT only) `*`. */
const AGGR = new Set(["count", "sum", "min", "max", "avg"]);
/** Comparison operators written as op tokens, and their AST spelling. */
const CMP: Record<string, string> = { "=": "=", "!=": "!=", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

/**
 * Parses `w` (the statement's tokens, comments and trailing `;` dropped) when it is one of the common shapes;
 * undefined when the full parser must decide. Never throws.
 */
export function fastParse(w: Words): Statement | undefined {
  const p = new FastParser(w);
  try {
    const stmt = p.statement();
    return p.atEnd() ? stmt : undefined;
  } catch (e) {
    // BAIL, or a stack overflow on absurdly deep nesting: the full parser decides.
    if (e === BAIL || e instanceof RangeError) return undefined;
    throw e;
  }
}

class FastParser {
  private pos = 0;
  /** Aggregate calls are taken only where SQL allows them (select list, HAVING, ORDER BY). */
  private aggregates = false;
  /** In a select list node-sql-parser's grammar is narrower (no LIKE over arithmetic, one-column subqueries only). */
  private selectList = false;
  /** `VALUES(col)` calls are taken in ON DUPLICATE KEY UPDATE only. */
  private valuesCalls = false;
  private readonly sql: string;
  private readonly tokens: readonly Token[];
  private readonly lower: readonly string[];
  private readonly n: number;

  constructor(w: Words) {
    this.sql = w.sql;
    this.tokens = w.tokens;
    this.lower = w.lower;
    this.n = w.tokens.length;
  }

  atEnd(): boolean { return this.pos === this.n; }

  statement(): Statement {
    switch (this.lower[0]) {
      case "select": return this.select();
      case "insert": case "replace": return this.insert();
      case "update": return this.update();
      case "delete": return this.delete();
      default: throw BAIL;
    }
  }

  // ---- token helpers ----

  private peek(k = 0): string { return this.lower[this.pos + k] ?? ""; }
  private type(k = 0): string { return this.tokens[this.pos + k]?.type ?? ""; }
  private text(i: number): string { const t = this.tokens[i]!; return this.sql.slice(t.start, t.end); }
  private accept(word: string): boolean {
    if (this.lower[this.pos] === word) { this.pos++; return true; }
    return false;
  }
  private expect(word: string): void { if (!this.accept(word)) throw BAIL; }

  /** An identifier (plain non-keyword word or backtick-quoted) at the cursor, consumed. */
  private name(): string {
    const t = this.tokens[this.pos];
    if (t === undefined) throw BAIL;
    if (t.type === "ident") {
      const l = this.lower[this.pos]!;
      if (STOP.has(l) || !isPlainName(this.sql, t)) throw BAIL;
      this.pos++;
      return this.sql.slice(t.start, t.end);
    }
    if (t.type === "quotedIdent") {
      this.pos++;
      // node-sql-parser keeps a doubled backtick doubled; leave those to it.
      const s = this.sql.slice(t.start + 1, t.end - 1);
      if (s === "" || s.includes("`")) throw BAIL;
      return s;
    }
    throw BAIL;
  }

  /** True when the cursor is at something name() would take. */
  private atName(k = 0): boolean {
    const t = this.tokens[this.pos + k];
    if (t === undefined) return false;
    if (t.type === "quotedIdent") return true;
    return t.type === "ident" && !STOP.has(this.lower[this.pos + k]!) && isPlainName(this.sql, t);
  }

  // ---- statements ----

  /** A parenthesized SELECT's body, the cursor after `(`; consumes the `)`. */
  private subselect(): Select {
    const outer = this.aggregates;
    const list = this.selectList;
    const sel = this.select();
    this.aggregates = outer;
    this.selectList = list;
    this.expect(")");
    return sel;
  }

  private select(): Select {
    this.expect("select");
    let distinct = false;
    let calcFoundRows = false;
    for (;;) {
      if (this.accept("distinct")) { if (distinct) throw BAIL; distinct = true; continue; }
      if (this.accept("sql_calc_found_rows")) { if (calcFoundRows) throw BAIL; calcFoundRows = true; continue; }
      break;
    }
    const columns: SelectExpr[] = [];
    this.aggregates = true;
    this.selectList = true;
    do columns.push(this.selectExpr()); while (this.accept(","));
    this.aggregates = false;
    this.selectList = false;
    let from: TableExpr[] = [];
    if (this.accept("from")) {
      if (this.peek() === "dual" && this.type() === "ident") { this.pos++; } else from = this.tableRefs();
    }
    const where = this.accept("where") ? this.expr() : undefined;
    const groupBy: Expr[] = [];
    if (this.peek() === "group") {
      this.pos++;
      this.expect("by");
      do groupBy.push(this.expr()); while (this.accept(","));
      if (this.peek() === "with") throw BAIL;
    }
    this.aggregates = true;
    const having = this.accept("having") ? this.expr() : undefined;
    const orderBy = this.orderBy();
    this.aggregates = false;
    const limit = this.limit();
    let lock: Select["lock"];
    if (this.peek() === "for" && this.peek(1) === "update") { this.pos += 2; lock = "for update"; }
    else if (this.peek() === "lock" && this.peek(1) === "in" && this.peek(2) === "share" && this.peek(3) === "mode") {
      this.pos += 4;
      lock = "lock in share mode";
    }
    return {
      kind: "Select", distinct, columns, from, ...(where ? { where } : {}), groupBy, ...(having ? { having } : {}),
      orderBy, ...(limit ? { limit } : {}), ...(lock ? { lock } : {}), ...(calcFoundRows ? { calcFoundRows: true } : {}),
    };
  }

  private selectExpr(): SelectExpr {
    const t = this.tokens[this.pos];
    if (t === undefined) throw BAIL;
    if (t.type === "op" && this.text(this.pos) === "*") { this.pos++; return { kind: "Star" }; }
    if (this.atName() && this.peek(1) === "." && this.type(2) === "op" && this.text(this.pos + 2) === "*") {
      const table = this.name();
      this.pos += 2;
      return { kind: "Star", table };
    }
    const expr = this.expr();
    let as: string | undefined;
    if (this.accept("as")) {
      const a = this.tokens[this.pos];
      if (a?.type === "string") {
        this.pos++;
        as = unquote(this.sql.slice(a.start, a.end));
        if (as === "" || as.includes("\\")) throw BAIL;
      } else {
        as = this.name();
      }
    } else if (this.atName()) {
      as = this.name();
    }
    return { kind: "AliasedExpr", expr, ...(as !== undefined ? { as } : {}) };
  }

  private tableRefs(): TableExpr[] {
    const out: TableExpr[] = [];
    do {
      let left: TableExpr = this.tableFactor();
      for (;;) {
        const join = this.joinKind();
        if (join === undefined) break;
        const right = this.tableFactor();
        if (join.startsWith("natural")) {
          if (this.peek() === "on" || this.peek() === "using") throw BAIL; // not MySQL: the full parser reports it
          left = { kind: "JoinTable", join, left, right };
        } else if (this.accept("on")) {
          left = { kind: "JoinTable", join, left, right, on: this.expr() };
        } else if (this.peek() === "using") {
          this.pos++;
          this.expect("(");
          const using: string[] = [];
          do using.push(this.name()); while (this.accept(","));
          this.expect(")");
          left = { kind: "JoinTable", join, left, right, using };
        } else {
          left = { kind: "JoinTable", join, left, right };
        }
      }
      out.push(left);
    } while (this.accept(","));
    return out;
  }

  /** The join keyword(s) at the cursor, consumed, in our AST's spelling; undefined when none. */
  private joinKind(): string | undefined {
    switch (this.peek()) {
      case "join": this.pos++; return "join";
      case "inner": this.pos++; this.expect("join"); return "join";
      case "cross": this.pos++; this.expect("join"); return "cross join";
      case "straight_join": this.pos++; return "straight_join";
      case "natural": {
        this.pos++;
        const side = this.peek();
        if (side === "left" || side === "right") {
          this.pos++;
          this.accept("outer");
        }
        this.expect("join");
        return side === "left" || side === "right" ? `natural ${side} join` : "natural join";
      }
      case "left": case "right": {
        const kind = this.peek();
        this.pos++;
        this.accept("outer");
        this.expect("join");
        return `${kind} join`;
      }
      default: return undefined;
    }
  }

  private tableFactor(): TableExpr {
    if (this.peek() === "(" && this.type() === "punct") {
      if (this.peek(1) !== "select") throw BAIL;
      this.pos++;
      const select = this.subselect();
      this.accept("as");
      return { kind: "DerivedTable", select, as: this.name() };
    }
    const table = this.tableName();
    let as: string | undefined;
    if (this.accept("as")) as = this.name();
    else if (this.atName()) as = this.name();
    return { kind: "AliasedTable", table, ...(as !== undefined ? { as } : {}) };
  }

  private tableName(): TableName {
    const first = this.name();
    if (this.peek() === "." && this.type() === "punct") {
      this.pos++;
      return { name: this.name(), qualifier: first };
    }
    return { name: first };
  }

  private orderBy(): OrderBy[] {
    if (this.peek() !== "order") return [];
    this.pos++;
    this.expect("by");
    const out: OrderBy[] = [];
    do {
      const expr = this.expr();
      let desc = false;
      if (this.accept("desc")) desc = true;
      else this.accept("asc");
      out.push({ expr, desc });
    } while (this.accept(","));
    return out;
  }

  private limit(): Limit | undefined {
    if (!this.accept("limit")) return undefined;
    const first = this.limitValue();
    if (this.accept(",")) return { offset: first, count: this.limitValue() };
    if (this.accept("offset")) return { count: first, offset: this.limitValue() };
    return { count: first };
  }

  private limitValue(): Expr {
    const t = this.tokens[this.pos];
    if (t?.type === "int") return this.primary();
    if (t?.type === "arg") return this.primary();
    throw BAIL;
  }

  private insert(): Insert {
    const action = this.lower[this.pos] === "replace" ? "replace" : "insert";
    this.pos++;
    const ignore = this.accept("ignore");
    this.expect("into");
    const table = this.tableName();
    const columns: string[] = [];
    if (this.accept("(")) {
      do columns.push(this.name()); while (this.accept(","));
      this.expect(")");
    }
    if (this.peek() === "select") {
      const sel = this.select();
      if (!this.atEnd()) throw BAIL;
      return { kind: "Insert", action, ignore, table, columns, rows: sel, onDup: [] };
    }
    this.expect("values");
    const rows: Expr[][] = [];
    do {
      this.expect("(");
      const row: Expr[] = [];
      do row.push(this.expr()); while (this.accept(","));
      this.expect(")");
      // node-sql-parser rejects a row whose length differs from the column list; so does MySQL (1136).
      if (columns.length > 0 && row.length !== columns.length) throw BAIL;
      rows.push(row);
    } while (this.accept(","));
    let onDup: UpdateExpr[] = [];
    if (this.peek() === "on") {
      this.pos++;
      this.expect("duplicate");
      this.expect("key");
      this.expect("update");
      this.valuesCalls = true;
      onDup = this.setList();
      this.valuesCalls = false;
    }
    return { kind: "Insert", action, ignore, table, columns, rows, onDup };
  }

  private setList(): UpdateExpr[] {
    const out: UpdateExpr[] = [];
    do {
      const first = this.name();
      let column: UpdateExpr["column"] = { kind: "Column", name: first };
      if (this.peek() === "." && this.type() === "punct") {
        this.pos++;
        column = { kind: "Column", name: this.name(), table: first };
      }
      if (this.type() !== "op" || this.text(this.pos) !== "=") throw BAIL;
      this.pos++;
      const expr = this.expr();
      // node-sql-parser rejects some AND/OR values here (`c = a = b and d`); leave logical values to it.
      if (expr.kind === "Binary" && (expr.op === "and" || expr.op === "or")) throw BAIL;
      out.push({ column, expr });
    } while (this.accept(","));
    return out;
  }

  private update(): Update {
    this.expect("update");
    const table = this.tableFactor();
    this.expect("set");
    const set = this.setList();
    const where = this.accept("where") ? this.expr() : undefined;
    const orderBy = this.orderBy();
    const limit = this.limit();
    return { kind: "Update", table, set, ...(where ? { where } : {}), orderBy, ...(limit ? { limit } : {}) };
  }

  private delete(): Delete {
    this.expect("delete");
    this.expect("from");
    const table: TableExpr = { kind: "AliasedTable", table: this.tableName() };
    const where = this.accept("where") ? this.expr() : undefined;
    const orderBy = this.orderBy();
    const limit = this.limit();
    return { kind: "Delete", table, ...(where ? { where } : {}), orderBy, ...(limit ? { limit } : {}) };
  }

  // ---- expressions, MySQL precedence: OR < XOR < AND < NOT < comparison < additive < multiplicative < unary ----

  expr(): Expr {
    let left = this.xorExpr();
    while (this.peek() === "or" && this.type() === "ident") {
      this.pos++;
      left = { kind: "Binary", op: "or", left, right: this.xorExpr() };
    }
    return left;
  }

  private xorExpr(): Expr {
    const left = this.andExpr();
    // node-sql-parser binds XOR tighter than comparisons; leave XOR to it.
    if (this.peek() === "xor") throw BAIL;
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    for (;;) {
      const w = this.peek();
      if (w === "&&") throw BAIL;
      if (!(w === "and" && this.type() === "ident")) return left;
      this.pos++;
      left = { kind: "Binary", op: "and", left, right: this.notExpr() };
    }
  }

  private notExpr(): Expr {
    if (this.peek() === "not" && this.type() === "ident") {
      this.pos++;
      if (this.peek() === "exists" && this.peek(1) === "(" && this.peek(2) === "select") {
        this.pos += 2;
        return { kind: "Exists", select: this.subselect(), not: true };
      }
      // node-sql-parser reads `NOT (...)` as a function call; leave those to it.
      if (this.peek() === "(" || this.peek() === "not" || this.peek() === "exists") throw BAIL;
      return { kind: "Unary", op: "not", expr: this.predicate() };
    }
    return this.predicate();
  }

  /** A comparison, IS, [NOT] IN, [NOT] LIKE or [NOT] BETWEEN over additive operands; at most one per level. */
  private predicate(): Expr {
    const left = this.additive();
    const t = this.tokens[this.pos];
    if (t === undefined) return left;
    if (t.type === "op") {
      const op = CMP[this.text(this.pos)];
      if (op === undefined) return left;
      this.pos++;
      const right = this.additive();
      this.noMorePredicates();
      return { kind: "Binary", op, left, right };
    }
    if (t.type !== "ident") return left;
    let w = this.lower[this.pos]!;
    if (w === "is") {
      this.pos++;
      const not = this.accept("not");
      const v = this.peek();
      if (this.type() !== "ident" || (v !== "null" && v !== "true" && v !== "false")) throw BAIL;
      this.pos++;
      const right: Expr = v === "null" ? { kind: "Literal", type: "null", value: "" } : { kind: "Literal", type: "bool", value: v };
      this.noMorePredicates();
      return { kind: "Binary", op: not ? "is not" : "is", left, right };
    }
    let not = false;
    if (w === "not") {
      const next = this.peek(1);
      if (next !== "in" && next !== "like" && next !== "between") return left;
      this.pos++;
      not = true;
      w = next;
    }
    if (w === "in") {
      this.pos++;
      const r = this.tokens[this.pos];
      let right: Expr;
      if (r?.type === "listArg") {
        this.pos++;
        right = { kind: "Arg", name: this.text(this.pos - 1).slice(2), list: true };
      } else {
        this.expect("(");
        if (this.peek() === "(" || this.peek() === "with") throw BAIL;
        // node-sql-parser gives `IN (SELECT ...)` as a one-element tuple holding the subquery.
        if (this.peek() === "select") {
          const sub: Expr = { kind: "Subquery", select: this.subselect() };
          this.noMorePredicates();
          return { kind: "Binary", op: not ? "not in" : "in", left, right: { kind: "Tuple", exprs: [sub] } };
        }
        const exprs: Expr[] = [];
        do exprs.push(this.inElement()); while (this.accept(","));
        this.expect(")");
        right = { kind: "Tuple", exprs };
      }
      this.noMorePredicates();
      return { kind: "Binary", op: not ? "not in" : "in", left, right };
    }
    if (w === "like") {
      if (this.selectList) throw BAIL;
      this.pos++;
      const right = this.additive();
      if (this.peek() === "escape") throw BAIL;
      this.noMorePredicates();
      return { kind: "Binary", op: not ? "not like" : "like", left, right };
    }
    if (w === "between") {
      this.pos++;
      const low = this.additive();
      if (!(this.peek() === "and" && this.type() === "ident")) throw BAIL;
      this.pos++;
      const high = this.additive();
      this.noMorePredicates();
      return { kind: "Between", expr: left, low, high, not };
    }
    return left;
  }

  private inElement(): Expr {
    // `IN ((a, b), ...)` row lists and `IN (::list)` are left to the full parser.
    if (this.type() === "listArg" || this.peek() === "(") throw BAIL;
    return this.additive();
  }

  /** Chained predicates (`a = b = c`, `a = b is null`) are rare; leave them to the full parser. */
  private noMorePredicates(): void {
    const t = this.tokens[this.pos];
    if (t === undefined) return;
    if (t.type === "op") {
      const s = this.text(this.pos);
      if (CMP[s] !== undefined || s === "<=>" || s === "||" || s === "|" || s === "&" || s === "^" || s === "<<" || s === ">>") throw BAIL;
    } else if (t.type === "ident") {
      const w = this.lower[this.pos]!;
      if (w === "is" || w === "in" || w === "like" || w === "between" || w === "not" || w === "regexp" || w === "rlike" || w === "sounds" || w === "member") throw BAIL;
    }
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.tokens[this.pos];
      if (t === undefined || t.type !== "op") return left;
      const s = this.text(this.pos);
      if (s !== "+" && s !== "-") {
        if (s === "|" || s === "&" || s === "^" || s === "<<" || s === ">>" || s === "||" || s === "<=>" || s === "->" || s === "->>" || s === ":=") throw BAIL;
        return left;
      }
      this.pos++;
      left = { kind: "Binary", op: s, left, right: this.multiplicative() };
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.tokens[this.pos];
      if (t === undefined) return left;
      let op: string;
      if (t.type === "op") {
        const s = this.text(this.pos);
        if (s !== "*" && s !== "/" && s !== "%") return left;
        op = s;
      } else if (t.type === "ident") {
        const w = this.lower[this.pos]!;
        if (w !== "div" && w !== "mod") return left;
        op = w;
      } else {
        return left;
      }
      this.pos++;
      left = { kind: "Binary", op, left, right: this.unary() };
    }
  }

  private unary(): Expr {
    const t = this.tokens[this.pos];
    if (t?.type === "op") {
      const s = this.text(this.pos);
      if (s === "-" || s === "~" || s === "!") {
        this.pos++;
        const next = this.tokens[this.pos];
        // node-sql-parser folds a sign into a following number (`a - -1`); leave those to it.
        if (next === undefined || next.type === "int" || next.type === "decimal" || next.type === "float" || next.type === "op") throw BAIL;
        return { kind: "Unary", op: s, expr: this.unary() };
      }
      throw BAIL;
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.tokens[this.pos];
    if (t === undefined) throw BAIL;
    const text = this.sql.slice(t.start, t.end);
    switch (t.type) {
      case "arg": this.pos++; return { kind: "Arg", name: text.slice(1) };
      case "int": {
        this.pos++;
        if (text.length > 15) return { kind: "Literal", type: "int", value: text };
        return { kind: "Literal", type: "int", value: text.length > 1 && text.charCodeAt(0) === 48 ? String(Number(text)) : text };
      }
      case "decimal": {
        // `.5`, `5.` and long decimals have their own node-sql-parser quirks.
        if (text.charCodeAt(0) === 46 || text.charCodeAt(text.length - 1) === 46 || text.length > 15) throw BAIL;
        this.pos++;
        return { kind: "Literal", type: "decimal", value: text };
      }
      case "string": {
        this.pos++;
        const next = this.tokens[this.pos];
        // Adjacent strings concatenate in MySQL; node-sql-parser takes the second as an alias.
        if (next?.type === "string") throw BAIL;
        // node-sql-parser reads a double-quoted string's body with single-quote rules; plain bodies only.
        if (text.charCodeAt(0) === 34 && /['"\\]/.test(text.slice(1, -1))) throw BAIL;
        return { kind: "Literal", type: "string", value: unquote(text) };
      }
      case "punct": {
        if (text !== "(") throw BAIL;
        this.pos++;
        const w = this.peek();
        if (w === "select") {
          const select = this.subselect();
          if (this.selectList && (select.columns.length !== 1 || select.columns[0]!.kind === "Star")) throw BAIL;
          return { kind: "Subquery", select };
        }
        if (w === "with" || w === "(") throw BAIL;
        const first = this.expr();
        if (this.accept(",")) {
          const exprs = [first];
          do exprs.push(this.expr()); while (this.accept(","));
          this.expect(")");
          return { kind: "Tuple", exprs };
        }
        this.expect(")");
        return first;
      }
      case "ident": {
        const w = this.lower[this.pos]!;
        if (w === "null") { this.pos++; return { kind: "Literal", type: "null", value: "" }; }
        if (w === "true" || w === "false") { this.pos++; return { kind: "Literal", type: "bool", value: w }; }
        if (w === "exists" && this.peek(1) === "(" && this.peek(2) === "select") {
          this.pos += 2;
          return { kind: "Exists", select: this.subselect() };
        }
        if (this.peek(1) === "(" && this.type(1) === "punct") return this.call();
        return this.column();
      }
      case "quotedIdent": return this.column();
      default: throw BAIL;
    }
  }

  private column(): Expr {
    const a = this.name();
    if (!(this.peek() === "." && this.type() === "punct")) return { kind: "Column", name: a };
    this.pos++;
    const b = this.name();
    if (!(this.peek() === "." && this.type() === "punct")) return { kind: "Column", name: b, table: a };
    this.pos++;
    return { kind: "Column", name: this.name(), table: b, qualifier: a };
  }

  /** `name(args)`: aggregates (COUNT(*), [DISTINCT]) and plain calls of non-keyword functions. */
  private call(): Expr {
    const t = this.tokens[this.pos]!;
    const lname = this.lower[this.pos]!;
    const aggr = AGGR.has(lname);
    const values = lname === "values" && this.valuesCalls;
    if (aggr ? !this.aggregates : !values && (!FUNCS.has(lname) || !isPlainName(this.sql, t))) throw BAIL;
    this.pos += 2;
    const args: Expr[] = [];
    let distinct = false;
    if (aggr) {
      if (this.accept("distinct")) distinct = true;
      if (lname === "count" && !distinct && this.type() === "op" && this.text(this.pos) === "*") {
        this.pos++;
        args.push({ kind: "Star" });
      } else {
        do args.push(this.expr()); while (this.accept(","));
        if (args.length > 1 && !(lname === "count" && distinct)) throw BAIL;
      }
    } else if (!this.accept(")")) {
      do args.push(this.expr()); while (this.accept(","));
    } else {
      return this.finishCall({ kind: "FuncCall", name: lname, args });
    }
    this.expect(")");
    return this.finishCall({ kind: "FuncCall", name: lname, args, ...(distinct ? { distinct: true } : {}) });
  }

  private finishCall(e: Expr & { kind: "FuncCall" }): Expr {
    // Window functions, and row arguments node-sql-parser flattens into the argument list, are left to it.
    if (this.peek() === "over" || e.args.some((a) => a.kind === "Tuple")) throw BAIL;
    return e;
  }
}

/** A plain word node-sql-parser reads as an identifier the same way we do: [A-Za-z_][A-Za-z0-9_]*. */
function isPlainName(sql: string, t: Token): boolean {
  const c = sql.charCodeAt(t.start);
  if (c >= 48 && c <= 57) return false;
  for (let i = t.start; i < t.end; i++) {
    const d = sql.charCodeAt(i);
    if (!((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57) || d === 95)) return false;
  }
  return true;
}
