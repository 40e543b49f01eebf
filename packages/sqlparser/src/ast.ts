// Our MySQL AST: readonly nodes tagged by `kind`. Produced by parse(), printed by format(). No third-party node
// type appears here; the node-sql-parser output is translated in convert-*.ts.

/** Literal value classes, as Vitess's ValType (IntVal, DecimalVal, FloatVal, StrVal, HexVal, HexNum, BitVal). */
export type LiteralType = "int" | "decimal" | "float" | "string" | "hex" | "hexnum" | "bit" | "null" | "bool";

/** A literal. `value` is the literal's text without quotes/escapes (strings unescaped; hex without x''). */
export interface Literal { readonly kind: "Literal"; readonly type: LiteralType; readonly value: string }
/** A bind variable `:name`, or a list bind variable `::name` when `list` is true. */
export interface Arg { readonly kind: "Arg"; readonly name: string; readonly list?: boolean }
/** A column reference `[qualifier.]table.name`; `table` and `qualifier` are absent when not written. */
export interface Column { readonly kind: "Column"; readonly name: string; readonly table?: string; readonly qualifier?: string }
/** `*` or `t.*` in a select list or COUNT(*). */
export interface Star { readonly kind: "Star"; readonly table?: string }
/** Binary operator; `op` is lower-case SQL text ("=", "and", "like", "in", "not in", "is", "is not", ...). */
export interface Binary { readonly kind: "Binary"; readonly op: string; readonly left: Expr; readonly right: Expr }
/** Unary operator: "-", "+", "~", "!", "not". */
export interface Unary { readonly kind: "Unary"; readonly op: string; readonly expr: Expr }
/** Parenthesised list `(a, b, ...)` (IN lists, row constructors). */
export interface Tuple { readonly kind: "Tuple"; readonly exprs: readonly Expr[] }
/** `expr [not] between low and high`. */
export interface Between { readonly kind: "Between"; readonly expr: Expr; readonly low: Expr; readonly high: Expr; readonly not: boolean }
/**
 * Function call (including aggregates); `name` is lower-case. GROUP_CONCAT may carry its own ORDER BY and SEPARATOR
 * (text without quotes).
 */
export interface FuncCall {
  readonly kind: "FuncCall"; readonly name: string; readonly args: readonly Expr[]; readonly distinct?: boolean;
  readonly orderBy?: readonly OrderBy[]; readonly separator?: string;
}
/** CASE expression. */
export interface Case {
  readonly kind: "Case"; readonly expr?: Expr;
  readonly whens: readonly { readonly cond: Expr; readonly result: Expr }[]; readonly else?: Expr;
}
/** A scalar/IN subquery `(select ...)`. */
export interface Subquery { readonly kind: "Subquery"; readonly select: SelectStatement }
/** `exists (select ...)`. */
export interface Exists { readonly kind: "Exists"; readonly select: SelectStatement; readonly not?: boolean }
/** Variable: `@x` (user), `@@x` / `@@session.x` (session), `@@global.x` (global), or bare `x` in SET (session). */
export interface Variable { readonly kind: "Variable"; readonly scope: "user" | "session" | "global"; readonly name: string; readonly explicit?: boolean }
/** One end of a window frame; `expr` is the offset of `preceding`/`following`. */
export interface FrameBound {
  readonly type: "unbounded preceding" | "preceding" | "current row" | "following" | "unbounded following"; readonly expr?: Expr;
}
/** `ROWS|RANGE BETWEEN start AND end` (a single bound `ROWS n PRECEDING` has end `current row`). */
export interface WindowFrame { readonly unit: "rows" | "range"; readonly start: FrameBound; readonly end: FrameBound }
/** A window specification: PARTITION BY, ORDER BY and the frame (absent: MariaDB's default frame). */
export interface WindowSpec { readonly partitionBy: readonly Expr[]; readonly orderBy: readonly OrderBy[]; readonly frame?: WindowFrame }
/**
 * A window function call `func(args) OVER (spec)` (ROW_NUMBER, RANK, LAG, aggregates OVER ...). A named window
 * (`OVER w`, `WINDOW w AS (...)`) is resolved by the parser into `over`, so the statement needs no WINDOW clause.
 */
export interface WindowFunc { readonly kind: "WindowFunc"; readonly func: FuncCall; readonly over: WindowSpec }
/** An expression we do not model; printed back verbatim. */
export interface RawExpr { readonly kind: "RawExpr"; readonly text: string }

export type Expr = Literal | Arg | Column | Star | Binary | Unary | Tuple | Between | FuncCall | Case | Subquery | Exists | Variable | WindowFunc | RawExpr;

/** `[qualifier.]name` of a table. */
export interface TableName { readonly name: string; readonly qualifier?: string }
/** `expr [as alias]` in a select list. */
/** One select item. `implicitAlias`: `as` is the item's text as written (MariaDB's name for it), not a user alias. */
export interface AliasedExpr { readonly kind: "AliasedExpr"; readonly expr: Expr; readonly as?: string; readonly implicitAlias?: true }
export type SelectExpr = AliasedExpr | Star;

/** A table in FROM. `recursiveRef`: the recursive CTE being defined, referenced from its own body (not a table). */
export interface AliasedTable { readonly kind: "AliasedTable"; readonly table: TableName; readonly as?: string; readonly recursiveRef?: true }
export interface DerivedTable { readonly kind: "DerivedTable"; readonly select: SelectStatement; readonly as: string }
/** A join; `join` is "join", "left join", "right join", "straight_join", "cross join" or "natural [left |right ]join". */
export interface JoinTable {
  readonly kind: "JoinTable"; readonly join: string; readonly left: TableExpr; readonly right: TableExpr;
  readonly on?: Expr; readonly using?: readonly string[];
}
export type TableExpr = AliasedTable | DerivedTable | JoinTable;

export interface OrderBy { readonly expr: Expr; readonly desc: boolean }
export interface Limit { readonly count: Expr; readonly offset?: Expr }

export interface Select {
  readonly kind: "Select";
  readonly distinct: boolean;
  readonly columns: readonly SelectExpr[];
  readonly from: readonly TableExpr[];
  readonly where?: Expr;
  readonly groupBy: readonly Expr[];
  readonly having?: Expr;
  /** `GROUP BY ... WITH ROLLUP`: super-aggregate rows after each group level and a grand total. */
  readonly rollup?: true;
  readonly orderBy: readonly OrderBy[];
  readonly limit?: Limit;
  readonly lock?: "for update" | "lock in share mode";
  /** `SELECT SQL_CALC_FOUND_ROWS ...`: FOUND_ROWS() then reports the row count without the LIMIT. */
  readonly calcFoundRows?: boolean;
}
/**
 * `left UNION [ALL] right`. `recursive`: the body of `WITH RECURSIVE name AS (left UNION [ALL] right)`, where `left`
 * is the anchor and `right` references the CTE (an AliasedTable with `recursiveRef`); the anchor's select items
 * carry the CTE's column names.
 */
export interface Union {
  readonly kind: "Union"; readonly left: SelectStatement; readonly right: SelectStatement; readonly distinct: boolean;
  readonly orderBy: readonly OrderBy[]; readonly limit?: Limit; readonly recursive?: { readonly name: string };
}
export type SelectStatement = Select | Union;

/** `column = expr` in UPDATE SET / ON DUPLICATE KEY UPDATE. */
export interface UpdateExpr { readonly column: Column; readonly expr: Expr }

export interface Insert {
  readonly kind: "Insert"; readonly action: "insert" | "replace"; readonly ignore: boolean; readonly table: TableName;
  readonly columns: readonly string[];
  /** VALUES rows, or a SELECT source. */
  readonly rows: readonly (readonly Expr[])[] | SelectStatement;
  readonly onDup: readonly UpdateExpr[];
}
export interface Update {
  readonly kind: "Update"; readonly table: TableExpr; readonly set: readonly UpdateExpr[]; readonly where?: Expr;
  readonly orderBy: readonly OrderBy[]; readonly limit?: Limit; readonly ignore?: boolean;
}
export interface Delete {
  readonly kind: "Delete"; readonly table: TableExpr; readonly where?: Expr; readonly orderBy: readonly OrderBy[];
  readonly limit?: Limit;
  /** Multi-table form `delete t1[, t2] from <joins>`: the tables (names or aliases) rows are deleted from. */
  readonly targets?: readonly TableName[];
}
export interface SetStatement { readonly kind: "Set"; readonly exprs: readonly { readonly variable: Variable; readonly expr: Expr }[] }
/** `USE target`; target is the unquoted text, e.g. "commerce", "commerce:-80@replica", "" for `use`. */
export interface Use { readonly kind: "Use"; readonly target: string }
/** Vitess SHOW extensions, recognised before the generic parser. */
export type VitessShowKind =
  | "vitess_shards" | "vitess_tablets" | "keyspaces" | "vschema_tables" | "vschema_vindexes" | "vitess_target"
  | "vitess_replication_status" | "vschema_keyspaces";
/** SHOW: `show` is the Vitess extension or "other" (passed through as `text`). `filter` is a LIKE pattern or `on` table. */
export interface Show {
  readonly kind: "Show"; readonly show: VitessShowKind | "other"; readonly text: string;
  readonly like?: string; readonly on?: TableName;
}
export interface Begin { readonly kind: "Begin"; readonly text: string }
export interface Commit { readonly kind: "Commit" }
export interface Rollback { readonly kind: "Rollback"; readonly savepoint?: string }
export interface Savepoint { readonly kind: "Savepoint"; readonly name: string; readonly release?: boolean }
/** DDL passed through as text; `tables` are the tables it touches. */
export interface DDL {
  readonly kind: "DDL"; readonly action: "create" | "alter" | "drop" | "truncate" | "rename" | "create view" | "drop view" | "other";
  readonly tables: readonly TableName[]; readonly text: string;
}
/** `select next N values from seq` (Vitess sequence fetch). */
export interface NextVal { readonly kind: "NextVal"; readonly count: Expr; readonly table: TableName }
/** `vexplain [queries|plan|all] stmt` / `explain format=vitess stmt`. */
export interface VExplain { readonly kind: "VExplain"; readonly type: "queries" | "plan" | "all"; readonly statement: Statement }
/** Anything else (EXPLAIN, CALL, LOCK TABLES, ...): passed through as text. */
export interface Other { readonly kind: "Other"; readonly text: string }

export type Statement =
  | Select | Union | Insert | Update | Delete | SetStatement | Use | Show | Begin | Commit | Rollback | Savepoint
  | DDL | NextVal | VExplain | Other;

export type StatementKind = Statement["kind"];
export type ExprKind = Expr["kind"];

/** Aggregate function names vtgate knows how to merge or at least recognise. */
export const AGGREGATES: ReadonlySet<string> = new Set([
  "count", "sum", "min", "max", "avg", "group_concat", "any_value", "bit_and", "bit_or", "bit_xor", "std", "stddev",
  "stddev_pop", "stddev_samp", "var_pop", "var_samp", "variance", "json_arrayagg", "json_objectagg",
]);

/** True for aggregate function calls. */
export const isAggregate = (e: Expr): e is FuncCall => e.kind === "FuncCall" && AGGREGATES.has(e.name);
