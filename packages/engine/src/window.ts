import { SqlError } from "@vt/errors";
import { addDecimal, compareValues, decimalToString, divideDecimal, evaluate, formatDouble, parseDecimal, type Decimal } from "@vt/evalengine";
import type { Window, WindowFrameParam, WindowFuncParam } from "@vt/plan";
import { isFloat, isNumber, makeField, Type, type Field, type Row, type Value } from "@vt/sqltypes";
import type { BindVars } from "./vcursor.js";
import type { Executor } from "./executor.js";
import { cell, checkMemoryRows, resolveCol } from "./result-utils.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Computes each window function over the gathered rows; output rows keep the input order. */
export const windowExecutor: Executor<Window> = {
  async execute(node, vc, bindVars) {
    const input = await vc.run(node.input, bindVars);
    checkMemoryRows(input.rows.length, vc.maxMemoryRows);
    const out: (Uint8Array | null)[][] = input.rows.map((r) => [...r]);
    const fields: Field[] = [...input.fields];
    for (const w of node.windows) {
      const args = input.rows.map((row) => w.args.map((a) => evaluate(a, { bindVars, row, fields: input.fields })));
      const ctx: WindowCtx = { w, rows: input.rows, fields: input.fields, args, bindVars };
      const values = computeWindow(ctx);
      fields.push(outputField(w, input.fields, args));
      values.forEach((v, i) => out[i]!.push(v));
    }
    return { ...input, fields, rows: out };
  },
};

interface WindowCtx {
  readonly w: WindowFuncParam;
  readonly rows: readonly Row[];
  readonly fields: readonly Field[];
  /** Evaluated arguments per input row. */
  readonly args: readonly Value[][];
  readonly bindVars: BindVars;
}

/** The result column of a window function, typed as MariaDB types it. */
function outputField(w: WindowFuncParam, fields: readonly Field[], args: readonly Value[][]): Field {
  const argExpr = w.args[0];
  const argField = argExpr?.kind === "Column" ? fields[argExpr.offset] : undefined;
  const argType = argField?.type ?? args.find((a) => a[0]?.raw !== null)?.[0]?.type ?? Type.NULL_TYPE;
  switch (w.func) {
    case "row_number": case "rank": case "dense_rank": case "ntile": case "count": case "count_star":
      return makeField(w.alias, Type.INT64, { columnLength: 21, flags: 32769 });
    case "percent_rank": case "cume_dist": return makeField(w.alias, Type.FLOAT64, { decimals: 10, columnLength: 23 });
    case "sum": case "avg": {
      if (isFloat(argType) || !isNumber(argType)) return makeField(w.alias, Type.FLOAT64, { decimals: 31 });
      const scale = argField?.decimals ?? 0;
      return makeField(w.alias, Type.DECIMAL, { decimals: w.func === "avg" ? Math.min(scale + 4, 30) : scale });
    }
    default: return argField ? { ...argField, name: w.alias } : makeField(w.alias, argType);
  }
}

/** Values of one window function for every input row (by input index). */
function computeWindow(c: WindowCtx): (Uint8Array | null)[] {
  const { w, rows, fields } = c;
  const out: (Uint8Array | null)[] = new Array(rows.length).fill(null);
  const order = rows.map((_, i) => i);
  const keys = [...w.partitionBy.map((col) => ({ col, desc: false })), ...w.orderBy];
  const cmp = (a: number, b: number, ks: readonly { col: number; desc: boolean }[]): number => {
    for (const k of ks) {
      const col = resolveCol(k.col, fields.length);
      const r = compareValues(cell(rows[a]!, fields, col), cell(rows[b]!, fields, col));
      if (r !== 0) return k.desc ? -r : r;
    }
    return 0;
  };
  order.sort((a, b) => cmp(a, b, keys) || a - b);
  const partKeys = w.partitionBy.map((col) => ({ col, desc: false }));
  for (let s = 0; s < order.length;) {
    let e = s + 1;
    while (e < order.length && cmp(order[s]!, order[e]!, partKeys) === 0) e++;
    const part = order.slice(s, e);
    const peersOf = peerGroups(part, (a, b) => cmp(a, b, w.orderBy));
    const vals = partitionValues(c, part, peersOf);
    part.forEach((r, i) => { out[r] = vals[i] ?? null; });
    s = e;
  }
  return out;
}

/** For each position of a sorted partition: [first, last] position of its peer group (equal ORDER BY keys). */
function peerGroups(part: readonly number[], cmp: (a: number, b: number) => number): [number, number][] {
  const out: [number, number][] = new Array(part.length);
  for (let s = 0; s < part.length;) {
    let e = s + 1;
    while (e < part.length && cmp(part[s]!, part[e]!) === 0) e++;
    for (let i = s; i < e; i++) out[i] = [s, e - 1];
    s = e;
  }
  return out;
}

const num = (n: number | bigint): Uint8Array => enc.encode(String(n));

/** The values of one partition (positions in sorted order). */
function partitionValues(c: WindowCtx, part: readonly number[], peers: readonly [number, number][]): (Uint8Array | null)[] {
  const n = part.length;
  const arg = (pos: number, i = 0): Value => c.args[part[pos]!]![i] ?? { type: Type.NULL_TYPE, raw: null };
  const constArg = (i: number, dflt: number): number => {
    const v = c.args[part[0]!]?.[i];
    if (!v || v.raw === null) return dflt;
    const x = Number(dec.decode(v.raw));
    if (!Number.isInteger(x) || x < 0) throw new SqlError(1210, "HY000", `Incorrect arguments to ${c.w.func}`, "INVALID_ARGUMENT");
    return x;
  };
  switch (c.w.func) {
    case "row_number": return part.map((_, i) => num(i + 1));
    case "rank": return part.map((_, i) => num(peers[i]![0] + 1));
    case "dense_rank": {
      let rank = 0;
      return part.map((_, i) => num(peers[i]![0] === i ? ++rank : rank));
    }
    case "percent_rank": return part.map((_, i) => enc.encode((n > 1 ? peers[i]![0] / (n - 1) : 0).toFixed(10)));
    case "cume_dist": return part.map((_, i) => enc.encode(((peers[i]![1] + 1) / n).toFixed(10)));
    case "ntile": {
      const k = constArg(0, 1);
      if (k <= 0) throw new SqlError(1210, "HY000", "Incorrect arguments to ntile", "INVALID_ARGUMENT");
      const q = Math.floor(n / k);
      const rem = n % k;
      return part.map((_, i) => {
        const big = rem * (q + 1);
        return num(i < big ? Math.floor(i / (q + 1)) + 1 : rem + Math.floor((i - big) / Math.max(q, 1)) + 1);
      });
    }
    case "lag": case "lead": {
      const off = constArg(1, 1);
      return part.map((_, i) => {
        const j = c.w.func === "lag" ? i - off : i + off;
        if (j >= 0 && j < n) return arg(j).raw;
        return c.w.args.length > 2 ? arg(i, 2).raw : null;
      });
    }
    default: return framed(c, part, peers, arg);
  }
}

/** Frame positions [start, end] (inclusive; start > end when empty) of position i. */
function frameOf(f: WindowFrameParam | undefined, hasOrder: boolean, i: number, n: number, peers: readonly [number, number][],
  rangeAt: (i: number, off: number, following: boolean, start: boolean) => number, offs: [number, number]): [number, number] {
  if (!f) return hasOrder ? [0, peers[i]![1]] : [0, n - 1];
  const bound = (b: WindowFrameParam["start"], off: number, start: boolean): number => {
    switch (b.type) {
      case "unbounded preceding": return 0;
      case "unbounded following": return n - 1;
      case "current row": return f.unit === "rows" ? i : start ? peers[i]![0] : peers[i]![1];
      case "preceding": return f.unit === "rows" ? i - off : rangeAt(i, off, false, start);
      case "following": return f.unit === "rows" ? i + off : rangeAt(i, off, true, start);
    }
  };
  return [Math.max(0, bound(f.start, offs[0], true)), Math.min(n - 1, bound(f.end, offs[1], false))];
}

/** Aggregates, FIRST_VALUE/LAST_VALUE/NTH_VALUE: evaluated over each row's frame. */
function framed(c: WindowCtx, part: readonly number[], peers: readonly [number, number][], arg: (pos: number, i?: number) => Value): (Uint8Array | null)[] {
  const { w } = c;
  const n = part.length;
  const offset = (b: WindowFrameParam["start"] | undefined): number => {
    if (!b?.offset) return 0;
    const v = evaluate(b.offset, { bindVars: c.bindVars });
    const x = v.raw === null ? NaN : Number(dec.decode(v.raw));
    if (!(x >= 0)) throw new SqlError(1210, "HY000", "Incorrect arguments to frame bound", "INVALID_ARGUMENT");
    return x;
  };
  const offs: [number, number] = [offset(w.frame?.start), offset(w.frame?.end)];
  // RANGE with offsets: positions whose (single, numeric) ORDER BY key is within key ± off.
  const keyCol = w.orderBy[0];
  const key = (pos: number): number => {
    const v = keyCol ? cell(c.rows[part[pos]!]!, c.fields, resolveCol(keyCol.col, c.fields.length)) : undefined;
    return v && v.raw !== null ? Number(dec.decode(v.raw)) : NaN;
  };
  const rangeAt = (i: number, off: number, following: boolean, start: boolean): number => {
    if (w.orderBy.length !== 1) throw new SqlError(4019, "HY000", "RANGE-type frame requires ORDER BY clause with single sort key", "INVALID_ARGUMENT");
    const asc = !keyCol!.desc;
    const target = following === asc ? key(i) + off : key(i) - off;
    if (start) {
      let p = 0;
      while (p < n && !(asc ? key(p) >= target : key(p) <= target)) p++;
      return p;
    }
    let p = n - 1;
    while (p >= 0 && !(asc ? key(p) <= target : key(p) >= target)) p--;
    return p;
  };
  const hasOrder = w.orderBy.length > 0;
  const out: (Uint8Array | null)[] = [];
  const field = w.args[0]?.kind === "Column" ? c.fields[w.args[0].offset] : undefined;
  for (let i = 0; i < n; i++) {
    const [s, e] = frameOf(w.frame, hasOrder, i, n, peers, rangeAt, offs);
    switch (w.func) {
      case "first_value": out.push(s <= e ? arg(s).raw : null); break;
      case "last_value": out.push(s <= e ? arg(e).raw : null); break;
      case "nth_value": {
        const v = c.args[part[0]!]?.[1];
        const k = v && v.raw !== null ? Number(dec.decode(v.raw)) : 0;
        if (!(k >= 1)) throw new SqlError(1210, "HY000", "Incorrect arguments to nth_value", "INVALID_ARGUMENT");
        out.push(s + k - 1 <= e ? arg(s + k - 1).raw : null);
        break;
      }
      default: out.push(aggregate(w.func, s, e, arg, field));
    }
  }
  return out;
}

/** COUNT/SUM/AVG/MIN/MAX over positions [s, e] (SUM/AVG exact for integers and decimals, DOUBLE for floats). */
function aggregate(func: WindowFuncParam["func"], s: number, e: number, arg: (pos: number) => Value, field: Field | undefined): Uint8Array | null {
  let count = 0;
  let sum: Decimal | undefined;
  let fsum: number | undefined;
  let best: Value | undefined;
  let float = false;
  for (let p = s; p <= e; p++) {
    const v = arg(p);
    if (func === "count_star") { count++; continue; }
    if (v.raw === null) continue;
    count++;
    if (func === "min" || func === "max") {
      if (!best || (func === "min" ? compareValues(v, best) < 0 : compareValues(v, best) > 0)) best = v;
      continue;
    }
    if (func !== "sum" && func !== "avg") continue;
    const t = dec.decode(v.raw);
    const d = isFloat(v.type) || !isNumber(v.type) ? undefined : parseDecimal(t);
    if (d && !float) sum = sum ? addDecimal(sum, d) : d;
    else { float = true; fsum = (fsum ?? (sum ? Number(decimalToString(sum)) : 0)) + Number(t); }
  }
  switch (func) {
    case "count": case "count_star": return num(count);
    case "min": case "max": return best?.raw ?? null;
    case "sum": case "avg": {
      if (count === 0) return null;
      if (float) {
        const text = formatDouble(func === "avg" ? fsum! / count : fsum!);
        return text === undefined ? null : enc.encode(text);
      }
      const scale = field?.decimals ?? sum!.scale;
      if (func === "sum") return enc.encode(decimalToString(sum!));
      return enc.encode(decimalToString(divideDecimal(sum!, { mant: BigInt(count), scale: 0 }, Math.min(scale + 4, 30))));
    }
    default: return null;
  }
}
