// The Distinct executor's fast paths against the slow ones they replace: rowKey from bytes vs the decoded weight
// strings, the neighbour comparison over sorted input vs hashing every row, and the per-column sort comparator vs
// compareValues, over NULLs, numbers, binary columns, case-insensitive and multi-byte text.
import { describe, expect, it } from "vitest";
import { compareValues, generalCiWeight, isCaseInsensitive } from "@vt/evalengine";
import { isNumber, makeField, Type, type Field, type Result, type Row } from "@vt/sqltypes";
import type { Distinct } from "@vt/plan";
import { cell, sortRows } from "./result-utils.js";
import { distinctExecutor, distinctHashed, distinctSorted, rowKey } from "./simple-executors.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** rowKey as it was: every cell decoded, weight strings built per character. */
const slowRowKey = (row: Row, n: number, fields: readonly Field[]): string => {
  let k = "";
  for (let i = 0; i < n; i++) {
    const c = row[i];
    const f = fields[i];
    if (c === null || c === undefined) k += "\u0001N";
    else if (f !== undefined && isCaseInsensitive(f.charset) && !isNumber(f.type)) k += `\u0001W${generalCiWeight(dec.decode(c))}`;
    else k += `\u0001V${Buffer.from(c).toString("latin1")}`;
  }
  return k;
};

/** Distinct as it was: a Set of slow keys, first occurrence kept. */
const slowDistinct = (rows: readonly Row[], n: number, fields: readonly Field[]): Row[] => {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const k = slowRowKey(row, n, fields);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/** Column kinds with the values that make equality tricky for each. */
const COLUMNS: { field: Field; values: (string | null)[] }[] = [
  { field: makeField("ci", Type.VARCHAR, { charset: 45 }),
    values: ["a", "A", "a ", "a  ", "b", "B ", "é", "É", "e", "ß", "ss", "S", "日本", "日本 ", "😀", "😃", "", " ", null] },
  { field: makeField("latin1_ci", Type.CHAR, { charset: 8 }), values: ["x", "X", "x ", "y", null] },
  { field: makeField("num", Type.INT64, { charset: 63 }), values: ["1", "01", "2", "-0", "0", "10", null] },
  { field: makeField("dec", Type.DECIMAL, { charset: 63 }), values: ["1.0", "1.00", "2.5", "-1.5", null] },
  { field: makeField("bin", Type.VARBINARY, { charset: 63 }), values: ["a", "A", "a ", "é", null] },
  { field: makeField("utf8_bin", Type.VARCHAR, { charset: 46 }), values: ["a", "A", "a ", "é", null] },
  { field: makeField("time", Type.TIME, { charset: 63 }), values: ["01:00:00", "1:00:00", "-00:00:01", null] },
];

let seed = 3;
const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };

/** Random rows over a random choice of 1-3 columns (plus a trailing extra column Distinct does not key on). */
function randomCase(): { fields: Field[]; rows: Row[]; n: number } {
  const n = 1 + rnd(3);
  const cols = Array.from({ length: n + 1 }, () => COLUMNS[rnd(COLUMNS.length)]!);
  const rows = Array.from({ length: rnd(30) }, (): Row => cols.map((c) => {
    const v = c.values[rnd(c.values.length)]!;
    return v === null ? null : Buffer.from(enc.encode(v));
  }));
  return { fields: cols.map((c) => c.field), rows, n };
}

describe("rowKey", () => {
  it("equals the decoded weight-string key on random rows", () => {
    for (let t = 0; t < 500; t++) {
      const { fields, rows, n } = randomCase();
      for (const row of rows) expect(rowKey(row, n, fields)).toBe(slowRowKey(row, n, fields));
    }
  });

  it("keys plain Uint8Arrays (not Buffers) by their bytes", () => {
    const fields = [makeField("b", Type.VARBINARY, { charset: 63 })];
    const u = new Uint8Array([0, 0x61, 0xff, 0x62]).subarray(1, 3);
    expect(rowKey([u], 1, fields)).toBe(slowRowKey([u], 1, fields));
  });
});

describe("sortRows", () => {
  it("orders exactly as compareValues over cells (stable), ascending and descending", () => {
    for (let t = 0; t < 300; t++) {
      const { fields, rows } = randomCase();
      const orderBy = fields.map((_, col) => ({ col, desc: rnd(2) === 1 })).slice(0, 1 + rnd(fields.length));
      const fast = [...rows];
      sortRows(fast, fields, orderBy);
      const slow = [...rows].sort((a, b) => {
        for (const k of orderBy) {
          const c = compareValues(cell(a, fields, k.col), cell(b, fields, k.col));
          if (c !== 0) return k.desc ? -c : c;
        }
        return 0;
      });
      expect(fast).toEqual(slow);
      for (let i = 0; i < fast.length; i++) expect(fast[i]).toBe(slow[i]);
    }
  });
});

describe("Distinct", () => {
  it("on input sorted ascending or descending keeps exactly the rows hashing keeps", () => {
    for (let t = 0; t < 500; t++) {
      const { fields, rows, n } = randomCase();
      const desc = t % 2 === 1;
      sortRows(rows, fields, fields.slice(0, n).map((_, col) => ({ col, desc })));
      const fast = distinctSorted(rows, n, fields);
      expect(fast).toBeDefined();
      const slow = slowDistinct(rows, n, fields);
      expect(fast!.length).toBe(slow.length);
      for (let i = 0; i < slow.length; i++) expect(fast![i]).toBe(slow[i]);
      const hashed = distinctHashed(rows, n, fields);
      for (let i = 0; i < slow.length; i++) expect(hashed[i]).toBe(slow[i]);
    }
  });

  it("gives up on input out of order, and the executor then hashes: same rows either way", async () => {
    let unsorted = 0;
    for (let t = 0; t < 300; t++) {
      const { fields, rows, n } = randomCase();
      const sorted = distinctSorted(rows, n, fields);
      if (sorted === undefined) unsorted++;
      const r: Result = { fields, rows, rowsAffected: 0n, insertId: 0n, info: "" };
      const node = { kind: "Distinct", input: { kind: "SingleRow" } } as unknown as Distinct;
      const vc = { run: async () => r, maxMemoryRows: undefined };
      const out = await distinctExecutor.execute(node, vc as never, {});
      const slow = slowDistinct(rows, fields.length, fields);
      expect(out.rows.length).toBe(slow.length);
      for (let i = 0; i < slow.length; i++) expect(out.rows[i]).toBe(slow[i]);
    }
    expect(unsorted).toBeGreaterThan(100);
  });

  it("dedupes general_ci text ignoring case and trailing spaces, NULLs together, binary by bytes", () => {
    const fields = [makeField("c", Type.VARCHAR, { charset: 45 }), makeField("b", Type.VARBINARY, { charset: 63 })];
    const row = (c: string | null, b: string | null): Row => [c === null ? null : enc.encode(c), b === null ? null : enc.encode(b)];
    const rows = [row(null, null), row(null, null), row("a", "X"), row("a", "x"), row("A ", "x"), row("é", "x"), row("É", "x")];
    const out = distinctSorted(rows, 2, fields)!;
    expect(out.map((r) => r.map((c) => (c === null ? null : dec.decode(c))))).toEqual([[null, null], ["a", "X"], ["a", "x"], ["é", "x"]]);
    expect(distinctSorted([rows[2]!, rows[3]!, rows[2]!], 2, fields)).toBeUndefined();
    expect(distinctSorted([...rows].reverse(), 2, fields)!.map((r) => r.map((c) => (c === null ? null : dec.decode(c))))).toEqual([["É", "x"], ["A ", "x"], ["a", "X"], [null, null]]);
  });

  it("handles no rows, one row and no key columns", () => {
    const fields = [makeField("c", Type.VARCHAR, { charset: 45 })];
    const a: Row = [enc.encode("a")];
    const b: Row = [enc.encode("b")];
    expect(distinctSorted([], 1, fields)).toEqual([]);
    expect(distinctSorted([a], 1, fields)).toEqual([a]);
    expect(distinctSorted([a, b], 0, fields)).toEqual([a]);
    expect(distinctHashed([a, b], 0, fields)).toEqual([a]);
  });
});
