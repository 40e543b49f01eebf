// @vt/sqlparser: vtgate's SQL front end.
// Phases: (1) normalize(sql) — a hand-written lexer turns literals into `:vtgN` bind variables, extracts `/*vt+ */`
// directives and yields the plan-cache key with no full parse; (2) on a cache miss, parse(sql) builds our own readonly
// AST (tagged `kind` nodes, ast.ts) by recognising Vitess-only syntax from tokens, parsing the common
// SELECT/INSERT/UPDATE/DELETE shapes with a hand-written recursive-descent parser (fast-parse.ts, ~3 µs), and
// translating node-sql-parser's output for the rest (~100-500 µs; parseFull() forces that route); (3) format(ast) prints canonical MySQL text for the shards. substituteBindVars() is the
// tablet-side inverse of normalize (bind variables back to literals).
export type * from "./ast.js";
export { AGGREGATES, isAggregate } from "./ast.js";
export { parse, parseExpr, parseFull } from "./parse.js";
export { NO_DIRECTIVES, normalize, type Normalized } from "./normalize.js";
export { format, formatExpr, formatSelect, formatTableExpr, formatTableName, formatIdent } from "./format.js";
export { substituteBindVars } from "./substitute.js";
export { encodeValueSQL, valueSQL, bindVarSQL, quoteString } from "./encode.js";
export { type Directives, directiveIsSet } from "./directives.js";
export { tokenize, type Token, type TokenType } from "./lexer.js";
export { syntaxError } from "./syntax-error.js";
export { SYSBENCH_STATEMENTS } from "./sysbench-statements.js";
