/** One column learned from a CREATE TABLE text: its name and Vitess query.Type name (e.g. "INT64", "VARCHAR"). */
export interface TrackedColumn {
  readonly name: string;
  readonly type: string;
}

const TYPES: Record<string, readonly [string, string]> = {
  tinyint: ["INT8", "UINT8"], smallint: ["INT16", "UINT16"], mediumint: ["INT24", "UINT24"], int: ["INT32", "UINT32"],
  integer: ["INT32", "UINT32"], bigint: ["INT64", "UINT64"], decimal: ["DECIMAL", "DECIMAL"], numeric: ["DECIMAL", "DECIMAL"],
  float: ["FLOAT32", "FLOAT32"], double: ["FLOAT64", "FLOAT64"], real: ["FLOAT64", "FLOAT64"], bit: ["BIT", "BIT"],
  char: ["CHAR", "CHAR"], varchar: ["VARCHAR", "VARCHAR"], binary: ["BINARY", "BINARY"], varbinary: ["VARBINARY", "VARBINARY"],
  tinytext: ["TEXT", "TEXT"], text: ["TEXT", "TEXT"], mediumtext: ["TEXT", "TEXT"], longtext: ["TEXT", "TEXT"],
  tinyblob: ["BLOB", "BLOB"], blob: ["BLOB", "BLOB"], mediumblob: ["BLOB", "BLOB"], longblob: ["BLOB", "BLOB"],
  date: ["DATE", "DATE"], datetime: ["DATETIME", "DATETIME"], timestamp: ["TIMESTAMP", "TIMESTAMP"], time: ["TIME", "TIME"],
  year: ["YEAR", "YEAR"], enum: ["ENUM", "ENUM"], set: ["SET", "SET"], json: ["JSON", "JSON"],
  geometry: ["GEOMETRY", "GEOMETRY"], point: ["GEOMETRY", "GEOMETRY"], linestring: ["GEOMETRY", "GEOMETRY"],
  polygon: ["GEOMETRY", "GEOMETRY"], multipoint: ["GEOMETRY", "GEOMETRY"], multilinestring: ["GEOMETRY", "GEOMETRY"],
  multipolygon: ["GEOMETRY", "GEOMETRY"], geometrycollection: ["GEOMETRY", "GEOMETRY"], uuid: ["CHAR", "CHAR"],
  inet4: ["CHAR", "CHAR"], inet6: ["CHAR", "CHAR"],
};

const COLUMN_LINE = /^\s+`((?:[^`]|``)+)`\s+([a-zA-Z0-9]+)(.*)$/;

/**
 * The columns of a CREATE TABLE text as MariaDB's SHOW CREATE TABLE prints it (one column per line, backtick-quoted
 * name first, then the type), in order. Index and constraint lines are skipped. Unknown type words map to "VARCHAR"
 * (the column is still known by name, which is what planning needs); a text with no column lines yields [].
 */
export function createTableColumns(ddl: string): TrackedColumn[] {
  const out: TrackedColumn[] = [];
  for (const line of ddl.split("\n")) {
    const m = COLUMN_LINE.exec(line);
    if (!m) continue;
    const pair = TYPES[m[2]!.toLowerCase()];
    const unsigned = /\bunsigned\b/i.test(m[3] ?? "");
    out.push({ name: m[1]!.replace(/``/g, "`"), type: pair ? pair[unsigned ? 1 : 0] : "VARCHAR" });
  }
  return out;
}
