// @vt/sqlparser
export {};
