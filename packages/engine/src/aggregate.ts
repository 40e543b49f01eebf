import { addDecimal, compareValues, formatDouble, decimalToString, divideDecimal, generalCiWeightOf, isCaseInsensitive, parseDecimal, type Decimal } from "@vt/evalengine";
import type { AggregateParam, OrderedAggregate, ScalarAggregate } from "@vt/plan";
import { isFloat, isNumber, makeField, Type, type Field, type Result, type Row, type Value } from "@vt/sqltypes";
import type { Executor } from "./executor.js";
import { cell, checkMemoryRows, columnCompare, resolveCol, truncate } from "./result-utils.js";

const enc = new TextEncoder();
const VARIANCE: ReadonlySet<string> = new Set(["var_pop", "var_samp", "stddev_pop", "stddev_samp"]);
const dec = new TextDecoder();

/** Running state of one aggregate over one group. */
interface Acc {
  value: Value; count: bigint; sum?: Decimal; fsum?: number; seen: boolean; last?: Value[]; set?: Set<string>;
  items?: { v: Value; keys: Value[] }[];
  /** JSON aggregates: the shards' arrays/objects. Variance family: running mean and sum of squared deviations. */
  parts?: string[]; mean?: number; m2?: number;
}

/** Aggregates a stream sorted by the group keys: one output row per run of equal keys. */
export const orderedAggregateExecutor: Executor<OrderedAggregate> = {
  async execute(node, vc, bindVars) {
    const input = await vc.run(node.input, bindVars);
    const fields = outputFields(input.fields, node.aggregates);
    const keys = node.groupBy.map((g) => resolveCol(g.col, input.fields.length));
    if (node.rollup) return truncate({ ...input, fields, rows: rollupRows(input.rows, input.fields, keys, node.aggregates) }, node.truncateColumnCount);
    const cmps = keys.map((k) => columnCompare(input.fields, k));
    const rows: Row[] = [];
    let current: Row | undefined;
    let accs: Acc[] = [];
    for (const row of input.rows) {
      if (current && keys.every((k, i) => cmps[i]!(current![k], row[k]) === 0)) {
        accumulate(accs, node.aggregates, row, input.fields);
        continue;
      }
      if (current) rows.push(finish(current, accs, node.aggregates, input.fields));
      current = row;
      accs = node.aggregates.map(() => newAcc());
      accumulate(accs, node.aggregates, row, input.fields);
    }
    if (current) rows.push(finish(current, accs, node.aggregates, input.fields));
    return truncate({ ...input, fields, rows }, node.truncateColumnCount);
  },
};

/**
 * GROUP BY ... WITH ROLLUP over rows sorted by the keys: after each group, a super-aggregate row for every key level
 * that ends there (the rolled-up keys NULL), and a grand total last; no rows give no output.
 */
function rollupRows(input: readonly Row[], fields: readonly Field[], keys: readonly number[], aggs: readonly AggregateParam[]): Row[] {
  const out: Row[] = [];
  // levels[L]: rows sharing the first L keys (L = keys.length is the group itself, 0 the grand total).
  let levels: Acc[][] = keys.map(() => []);
  let current: Row | undefined;
  const cmps = keys.map((k) => columnCompare(fields, k));
  const emit = (from: number, to: number): void => {
    for (let L = from; L >= to; L--) {
      const base = [...current!];
      for (let k = L; k < keys.length; k++) base[keys[k]!] = null;
      out.push(finish(base, levels[L]!, aggs, fields));
    }
  };
  for (const row of input) {
    let d = keys.length;
    if (current) d = keys.findIndex((k, i) => cmps[i]!(current![k], row[k]) !== 0);
    if (current && d >= 0 && d < keys.length) emit(keys.length, d + 1);
    if (!current) levels = Array.from({ length: keys.length + 1 }, () => aggs.map(() => newAcc()));
    else if (d >= 0 && d < keys.length) for (let L = d + 1; L <= keys.length; L++) levels[L] = aggs.map(() => newAcc());
    current = row;
    for (const accs of levels) accumulate(accs, aggs, row, fields);
  }
  if (current) emit(keys.length, 0);
  return out;
}

/** Aggregates the whole input into exactly one row (COUNT of nothing is 0, other aggregates NULL). */
export const scalarAggregateExecutor: Executor<ScalarAggregate> = {
  async execute(node, vc, bindVars) {
    const input = await vc.run(node.input, bindVars);
    if (node.aggregates.some((a) => a.raw)) checkMemoryRows(input.rows.length, vc.maxMemoryRows);
    const fields = outputFields(input.fields, node.aggregates);
    const accs = node.aggregates.map(() => newAcc());
    for (const row of input.rows) accumulate(accs, node.aggregates, row, input.fields);
    const base: Row = input.rows[0] ?? input.fields.map(() => null);
    const row = finish(base, accs, node.aggregates, input.fields);
    return truncate({ ...input, fields, rows: [row] }, node.truncateColumnCount);
  },
};

const newAcc = (): Acc => ({ value: { type: Type.NULL_TYPE, raw: null }, count: 0n, seen: false });

/** Field types like MariaDB's: COUNT → BIGINT, AVG → DECIMAL, others keep the shard's type (SUM(int) is DECIMAL). */
function outputFields(fields: readonly Field[], aggs: readonly AggregateParam[]): Field[] {
  const out = [...fields];
  for (const a of aggs) {
    const f = out[a.col] ?? makeField(a.alias, Type.INT64);
    if (a.opcode === "count" || a.opcode === "count_star" || a.opcode === "count_distinct") out[a.col] = { ...f, type: Type.INT64 };
    if ((a.opcode === "sum_distinct" || (a.raw && a.opcode === "sum")) && !isFloat(f.type) && f.type !== Type.DECIMAL) out[a.col] = { ...f, type: Type.DECIMAL, decimals: 0 };
    if (a.opcode === "group_concat" && a.raw) out[a.col] = { ...f, type: Type.VARCHAR, charset: 45 };
    if (a.opcode === "avg" && !isFloat(f.type)) out[a.col] = { ...f, type: Type.DECIMAL, decimals: Math.min(f.decimals + 4, 30) };
    if (VARIANCE.has(a.opcode)) out[a.col] = { ...f, type: Type.FLOAT64, decimals: isFloat(f.type) || !isNumber(f.type) ? 31 : Math.min(f.decimals + 4, 30), columnLength: 23, charset: 63 };
  }
  return out;
}

function accumulate(accs: Acc[], aggs: readonly AggregateParam[], row: Row, fields: readonly Field[]): void {
  aggs.forEach((a, i) => {
    const acc = accs[i]!;
    const v = cell(row, fields, a.col);
    switch (a.opcode) {
      case "count": case "count_star":
        if (a.raw) { if (a.opcode === "count_star" || v.raw !== null) acc.count += 1n; return; }
        if (v.raw !== null) acc.count += BigInt(dec.decode(v.raw));
        return;
      case "sum": case "avg":
        addTo(acc, v);
        if (a.raw && a.opcode === "avg" && v.raw !== null) acc.count += 1n;
        if (a.opcode === "avg" && a.countCol !== undefined) {
          const c = row[resolveCol(a.countCol, fields.length)];
          if (c) acc.count += BigInt(dec.decode(c));
        }
        return;
      case "min": case "max":
        if (v.raw === null) return;
        if (!acc.seen || (a.opcode === "min" ? compareValues(v, acc.value) < 0 : compareValues(v, acc.value) > 0)) acc.value = v;
        acc.seen = true;
        return;
      case "any_value":
        if (!acc.seen) { acc.value = v; acc.seen = true; }
        return;
      case "json_arrayagg": case "json_objectagg":
        if (v.raw !== null) (acc.parts ??= []).push(dec.decode(v.raw));
        return;
      case "var_pop": case "var_samp": case "stddev_pop": case "stddev_samp": {
        if (v.raw === null) return;
        // MariaDB's recurrence (Item_sum_variance): m += (x - m) / n; s += (x - m_old) * (x - m).
        const x = Number(dec.decode(v.raw));
        acc.count += 1n;
        if (acc.count === 1n) { acc.mean = x; acc.m2 = 0; return; }
        const prev = acc.mean!;
        const diff = x - prev;
        acc.mean = prev + diff / Number(acc.count);
        acc.m2 = acc.m2! + diff * (x - acc.mean);
        return;
      }
      case "group_concat":
        if (v.raw === null) return;
        if (a.raw && a.distinct) {
          const k = distinctKey(v);
          acc.set ??= new Set();
          if (acc.set.has(k)) return;
          acc.set.add(k);
        }
        (acc.items ??= []).push({ v, keys: (a.orderCols ?? []).map((o) => cell(row, fields, resolveCol(o.col, fields.length))) });
        return;
      case "count_distinct": case "sum_distinct": {
        const vals = [v, ...(a.distinctCols ?? []).map((c) => cell(row, fields, resolveCol(c, fields.length)))];
        if (vals.some((x) => x.raw === null)) return;
        if (a.raw) {
          // Rows in any order: remember every distinct value (by collation weight for case-insensitive text).
          const k = vals.map(distinctKey).join("\u0001");
          acc.set ??= new Set();
          if (acc.set.has(k)) return;
          acc.set.add(k);
          if (a.opcode === "count_distinct") acc.count += 1n;
          else addTo(acc, v);
          return;
        }
        if (acc.last !== undefined && vals.every((x, j) => compareValues(x, acc.last![j]!) === 0)) return;
        acc.last = vals;
        if (a.opcode === "count_distinct") acc.count += 1n;
        else addTo(acc, v);
        return;
      }
    }
  });
}

/** Identity of a value for DISTINCT: numbers by exact value, case-insensitive text by its weight, else its bytes. */
function distinctKey(v: Value & { collation?: number }): string {
  if (!isNumber(v.type) && isCaseInsensitive(v.collation)) return `w${generalCiWeightOf(v.raw!)}`;
  const s = dec.decode(v.raw!);
  if (isNumber(v.type)) {
    const d = isFloat(v.type) ? undefined : parseDecimal(s);
    if (!d) return `n${Number(s)}`;
    let { mant, scale } = d;
    while (scale > 0 && mant % 10n === 0n) { mant /= 10n; scale--; }
    return `d${mant}e${scale}`;
  }
  return `b${s}`;
}

/** Adds a partial SUM: exact decimal for integer/decimal text, double for floats. */
function addTo(acc: Acc, v: Value): void {
  if (v.raw === null) return;
  const s = dec.decode(v.raw);
  acc.seen = true;
  acc.value = { type: v.type, raw: null };
  const d = isFloat(v.type) ? undefined : parseDecimal(s);
  if (d && acc.fsum === undefined) acc.sum = acc.sum ? addDecimal(acc.sum, d) : d;
  else acc.fsum = (acc.fsum ?? (acc.sum ? Number(decimalToString(acc.sum)) : 0)) + Number(s);
}

function finish(base: Row, accs: Acc[], aggs: readonly AggregateParam[], fields: readonly Field[]): Row {
  const out = [...base];
  aggs.forEach((a, i) => {
    const acc = accs[i]!;
    out[a.col] = result(acc, a, fields);
  });
  return out;
}

function result(acc: Acc, a: AggregateParam, fields: readonly Field[]): Uint8Array | null {
  switch (a.opcode) {
    case "count": case "count_star": case "count_distinct": return enc.encode(acc.count.toString());
    case "json_arrayagg": case "json_objectagg": {
      if (!acc.parts) return null;
      const inner = acc.parts.map((p) => p.slice(1, -1)).filter((p) => p.length > 0);
      return enc.encode(a.opcode === "json_arrayagg" ? `[${inner.join(",")}]` : `{${inner.join(", ")}}`);
    }
    case "var_pop": case "var_samp": case "stddev_pop": case "stddev_samp": {
      const sample = a.opcode === "var_samp" || a.opcode === "stddev_samp" ? 1n : 0n;
      if (acc.count <= sample) return null;
      const variance = acc.m2! / Number(acc.count - sample);
      const f = fields[a.col];
      const decimals = !f || isFloat(f.type) || !isNumber(f.type) ? 31 : Math.min(f.decimals + 4, 30);
      const text = formatDouble(a.opcode.startsWith("stddev") ? Math.sqrt(variance) : variance, decimals);
      return text === undefined ? null : enc.encode(text);
    }
    case "group_concat": {
      if (!acc.items || acc.items.length === 0) return null;
      const items = [...acc.items];
      const order = a.orderCols ?? [];
      if (order.length > 0) {
        items.sort((x, y) => {
          for (let i = 0; i < order.length; i++) {
            const c = compareValues(x.keys[i]!, y.keys[i]!);
            if (c !== 0) return order[i]!.desc ? -c : c;
          }
          return 0;
        });
      }
      return enc.encode(items.map((x) => dec.decode(x.v.raw!)).join(a.separator ?? ","));
    }
    case "sum": case "sum_distinct":
      if (!acc.seen) return null;
      return enc.encode(acc.fsum !== undefined ? String(acc.fsum) : decimalToString(acc.sum!));
    case "avg": {
      if (!acc.seen || acc.count === 0n) return null;
      if (acc.fsum !== undefined) return enc.encode(String(acc.fsum / Number(acc.count)));
      const scale = Math.min((fields[a.col]?.decimals ?? acc.sum!.scale) + 4, 30);
      return enc.encode(decimalToString(divideDecimal(acc.sum!, { mant: acc.count, scale: 0 }, Math.max(scale, acc.sum!.scale + 4))));
    }
    default: return acc.value.raw;
  }
}
