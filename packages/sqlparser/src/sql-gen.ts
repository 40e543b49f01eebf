// A seeded generator of MySQL statements for differential tests of the parsers (fast-parse.test.ts): the shapes the
// fast parser takes, mixed with ones it must leave alone, over tricky literals, identifiers, quoting and comments.

/** Seeded random statement generator (mulberry32). */
export class SqlGen {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  private rnd(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  private int(n: number): number { return Math.floor(this.rnd() * n); }
  private pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  private chance(p: number): boolean { return this.rnd() < p; }

  /** A keyword in random case, with random whitespace or a comment before it. */
  private kw(w: string): string {
    const c = this.int(3);
    const word = c === 0 ? w.toUpperCase() : c === 1 ? w : [...w].map((ch) => (this.chance(0.5) ? ch.toUpperCase() : ch)).join("");
    return this.gap() + word;
  }
  private gap(): string {
    const r = this.int(20);
    if (r === 0) return " /* c */ ";
    if (r === 1) return "\n";
    if (r === 2) return " -- note\n";
    if (r === 3) return "\t";
    if (r === 4) return " # x\n";
    return " ";
  }
  private ident(): string {
    if (this.chance(0.85)) return this.pick(["a", "b", "c", "id", "user_id", "k", "Name", "t1", "_x", "status", "type", "`id`", "`a b`"]);
    return this.pick([
      "a", "b", "c", "id", "user_id", "k", "Name", "t1", "_x", "x$y", "`select`", "`a b`", "`x``y`", "`id`", "status",
      "type", "`order`", "key", "value", "count", "1a", "\u00e9t\u00e9", "`\u00e9`", "level", "date", "end", "`` ", "data",
    ]).trim();
  }
  private table(): string {
    const t = this.pick(["t", "users", "orders", "sbtest1", "`user`", "ks.t", "`ks`.`t`", "commerce.users", "dual"]);
    if (!this.chance(0.3)) return t;
    return `${t}${this.chance(0.5) ? this.kw("as") : ""} ${this.pick(["x", "u", "`al ias`", "o", "where", "t2"])}`;
  }
  private literal(): string {
    if (this.chance(0.75)) {
      return this.pick([() => String(this.int(100000)), () => `'${this.strBody("'")}'`, () => `:v${this.int(3)}`, () => "null", () => "1.25"])();
    }
    return this.pick([
      () => String(this.int(100000)), () => "0", () => "007", () => "9223372036854775807", () => "18446744073709551615",
      () => "1234567890123456", () => "123456789012345", () => "1.50", () => "0.0", () => ".5", () => "5.", () => "1e3",
      () => "2.5E-3", () => "12345678901234.5678", () => "-1", () => "- 2", () => "x'4A'", () => "0x1F", () => "b'01'",
      () => "null", () => "NULL", () => "true", () => "false", () => `:v${this.int(3)}`, () => "?",
      () => `'${this.strBody("'")}'`, () => `"${this.strBody('"')}"`, () => "_utf8mb4'x'", () => "N'abc'",
    ])();
  }
  private strBody(q: string): string {
    let s = "";
    const n = this.int(6);
    for (let i = 0; i < n; i++) s += this.pick(["a", "Z", " ", "%", "_", "''", '""', "\\'", '\\"', "\\\\", "\\n", "\\%", "\u00e9", q === "'" ? '"' : "'", "--", "/*", "#", ":x", "::y"].filter((x) => !(x === q)));
    return s;
  }
  private column(): string {
    const r = this.int(10);
    if (r === 0) return `${this.pick(["t", "x", "`t`"])}.${this.ident()}`;
    if (r === 1) return `ks.t.${this.ident()}`;
    return this.ident();
  }
  expr(d = 0): string {
    const r = this.chance(0.5) ? this.int(3) : this.int(d > 2 ? 3 : 14);
    switch (r) {
      case 0: return this.column();
      case 1: return this.literal();
      case 2: return this.column();
      case 3: return `${this.expr(d + 1)} ${this.pick(["+", "-", "*", "/", "%", "div", "MOD", "|", "&", "^", "<<", "||", "&&"])} ${this.expr(d + 1)}`;
      case 4: return `(${this.expr(d + 1)})`;
      case 5: return `${this.pick(["-", "~", "!", "not ", "+", "- "])}${this.expr(d + 1)}`;
      case 6: return `${this.pick(["count", "COUNT", "sum", "min", "Max", "avg"])}(${this.pick(["*", "distinct ", "", ""])}${this.expr(d + 1)})`;
      case 7: return `${this.pick(["concat", "ifnull", "coalesce", "lower", "now", "IF", "left", "json_extract", "abs", "unknown_fn"])}(${this.exprList(d + 1)})`;
      case 8: return this.cond(d + 1);
      case 9: return `(${this.exprList(d + 1)})`;
      case 10: return `${this.pick(["count(*)", "COUNT(*)", "count(1)", "sum(distinct k)"])}`;
      case 11: return `case when ${this.cond(d + 1)} then 1 else 2 end`;
      case 12: return this.chance(0.5) ? `@${this.pick(["x", "@version", "@session.autocommit"])}` : `(${this.subselect(d + 1)})`;
      default: return `${this.expr(d + 1)} ${this.pick(["+", "-", "*"])} ${this.literal()}`;
    }
  }
  private exprList(d: number): string {
    const n = 1 + this.int(3);
    return Array.from({ length: n }, () => this.expr(d)).join(this.pick([", ", ",", " , "]));
  }
  cond(d = 0): string {
    const r = this.int(d > 2 ? 6 : 12);
    const c = this.column();
    switch (r) {
      case 0: return `${c} ${this.pick(["=", "!=", "<>", "<", "<=", ">", ">=", "<=>"])} ${this.pick([this.literal(), this.literal(), this.column()])}`;
      case 1: return `${c}${this.pick(["=", " = "])}${this.literal()}`;
      case 2: return `${c}${this.kw(this.pick(["in", "not in", "IN"]))} ${this.pick([`(${this.exprList(d + 1)})`, `::list`, `(::list)`, `(${this.subselect(d + 1)})`, "()"])}`;
      case 3: return `${c}${this.kw(this.pick(["between", "not between"]))} ${this.literal()}${this.kw("and")} ${this.literal()}`;
      case 4: return `${c}${this.kw(this.pick(["like", "not like"]))} '${this.strBody("'")}'${this.chance(0.1) ? " escape '!'" : ""}`;
      case 5: return `${c}${this.kw("is")}${this.pick(["", this.kw("not")])}${this.kw(this.pick(["null", "true", "false", "unknown"]))}`;
      case 6: case 7: case 8: return `${this.cond(d + 1)}${this.kw(this.pick(["and", "or", "xor", "AND", "&&", "||"]))} ${this.cond(d + 1)}`;
      case 9: return this.chance(0.5) ? `(${this.cond(d + 1)})` : `${this.pick(["exists", "not exists", "NOT EXISTS"])} (${this.subselect(d + 1)})`;
      case 10: return `${this.kw("not")} ${this.cond(d + 1)}`;
      default: return `${this.expr(d + 1)} = ${this.expr(d + 1)}`;
    }
  }
  private selectItem(): string {
    const r = this.int(8);
    if (r === 0) return "*";
    if (r === 1) return `${this.pick(["t", "x", "`t`"])}.*`;
    const e = this.expr(1);
    const a = this.int(6);
    if (a === 0) return `${e}${this.kw("as")} ${this.pick(["x", "`y z`", "'q'", '"w"', "from", "`from`", "Alias"])}`;
    if (a === 1) return `${e} ${this.pick(["x", "`y`", "c1", "limit", "'s'"])}`;
    return e;
  }
  /** A small SELECT for subqueries and derived tables. */
  private subselect(d: number): string {
    let s = `select ${this.pick(["a", "max(b)", "count(*)", "1", "t.id, c", "*"])} from ${this.pick(["u", "t", "ks.t", "orders o"])}`;
    if (this.chance(0.6)) s += ` where ${d > 3 ? `${this.column()} = ${this.literal()}` : this.cond(d + 1)}`;
    if (this.chance(0.1)) s += this.pick([" limit 1", " order by a", " union select 2"]);
    return s;
  }

  private select(): string {
    let s = this.kw("select");
    if (this.chance(0.15)) s += this.kw(this.pick(["distinct", "sql_calc_found_rows", "all", "straight_join"]));
    s += " " + Array.from({ length: 1 + this.int(3) }, () => this.selectItem()).join(", ");
    if (this.chance(0.9)) {
      s += this.kw("from") + " " + (this.chance(0.1) ? `(${this.subselect(1)})${this.pick([" as d", " d", ""])}` : this.table());
      const j = this.int(6);
      if (j === 0) s += `, ${this.table()}`;
      if (j === 1 || j === 2) {
        s += this.kw(this.pick(["join", "inner join", "left join", "left outer join", "right join", "cross join", "straight_join", "natural join"]));
        s += ` ${this.table()}`;
        if (this.chance(0.8)) s += this.kw("on") + ` ${this.cond(1)}`;
        else if (this.chance(0.5)) s += this.kw("using") + ` (${this.ident()})`;
      }
    }
    if (this.chance(0.7)) s += this.kw("where") + " " + this.cond();
    if (this.chance(0.15)) s += this.kw("group by") + " " + this.exprList(2);
    if (this.chance(0.07)) s += this.kw("having") + " " + this.cond(2);
    if (this.chance(0.2)) s += this.kw("order by") + " " + `${this.expr(2)}${this.pick(["", " asc", " DESC"])}`;
    if (this.chance(0.2)) s += this.kw("limit") + " " + this.pick(["1", "10, 5", "5 offset 2", ":vtg9", "-1", "1.5"]);
    if (this.chance(0.05)) s += this.pick([" for update", " lock in share mode", " union select 1"]);
    return s;
  }
  statement(): string {
    const r = this.int(10);
    let s: string;
    if (r < 5) s = this.select();
    else if (r === 5 || r === 6) {
      s = `${this.kw(this.pick(["insert", "replace", "insert ignore"]))}${this.kw("into")} ${this.pick(["t", "ks.t", "`t`"])}`;
      const cols = this.chance(0.8) ? ` (${Array.from({ length: 1 + this.int(3) }, () => this.ident()).join(", ")})` : "";
      s += cols + this.kw(this.pick(["values", "values", "value"]));
      s += Array.from({ length: 1 + this.int(3) }, () => ` (${this.exprList(2)})`).join(",");
      if (this.chance(0.2)) s += ` on duplicate key update ${this.ident()} = ${this.pick(["values(a)", "VALUES(`b`)", "values(a) + 1", "a + 1", this.literal()])}`;
      if (this.chance(0.1)) s = `${this.kw("insert")}${this.kw("into")} t (a, b) ${this.select()}`;
    } else if (r === 7 || r === 8) {
      s = `${this.kw("update")} ${this.table()}${this.kw("set")} ${this.column()} = ${this.expr(1)}${this.chance(0.3) ? `, ${this.ident()}=${this.literal()}` : ""}`;
      if (this.chance(0.9)) s += this.kw("where") + " " + this.cond();
      if (this.chance(0.1)) s += " order by id limit 1";
    } else {
      s = `${this.kw("delete")}${this.kw("from")} ${this.table()}`;
      if (this.chance(0.9)) s += this.kw("where") + " " + this.cond();
      if (this.chance(0.1)) s += this.pick([" limit 2", " order by id desc limit 1"]);
    }
    if (this.chance(0.05)) s += ";";
    if (this.chance(0.03)) {
      // A damaged statement: both routes must raise the same syntax error.
      const cut = this.int(s.length);
      s = s.slice(0, cut) + s.slice(cut + 1 + this.int(4));
    }
    return s;
  }
}
