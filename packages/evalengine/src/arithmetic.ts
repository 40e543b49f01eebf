import { SqlError } from "@vt/errors";
import { isFloat, isIntegral, isUnsigned, Type, type Value } from "@vt/sqltypes";
import { addDecimal, decimalToString, divideDecimal, parseDecimal, type Decimal } from "./decimal.js";

/** Arithmetic operators vtgate evaluates: `+ - * /`, integer `div` and `%` (MOD). */
export type ArithmeticOp = "+" | "-" | "*" | "/" | "div" | "%";

const enc = new TextEncoder();
const dec = new TextDecoder();
/** MariaDB's default div_precision_increment: `/` adds this many digits to the dividend's scale. */
const DIV_PRECISION_INCREMENT = 4;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

type Num = { kind: "int"; v: bigint; unsigned: boolean } | { kind: "dec"; v: Decimal } | { kind: "float"; v: number };

/** Reads a non-NULL value as MySQL does in arithmetic: integers and decimals exactly, floats and strings as doubles. */
function toNum(x: Value): Num {
  const s = dec.decode(x.raw!);
  if (isIntegral(x.type)) return { kind: "int", v: BigInt(s), unsigned: isUnsigned(x.type) };
  if (x.type === Type.DECIMAL) {
    const d = parseDecimal(s);
    if (d) return { kind: "dec", v: d };
  }
  if (isFloat(x.type)) return { kind: "float", v: Number(s) };
  // Strings: their leading number (MySQL's implicit cast), as a double.
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(s);
  return { kind: "float", v: m ? Number(m[0]) : 0 };
}

const asDec = (n: Num): Decimal => (n.kind === "int" ? { mant: n.v, scale: 0 } : n.kind === "dec" ? n.v : { mant: 0n, scale: 0 });
const asFloat = (n: Num): number => (n.kind === "float" ? n.v : Number(decimalToString(asDec(n))));

const outOfRange = (op: string, type: string): SqlError =>
  new SqlError(1690, "22003", `${type} value is out of range in '${op}'`, "OUT_OF_RANGE");

const value = (type: number, text: string): Value => ({ type, raw: enc.encode(text) });
const nullValue: Value = { type: Type.NULL_TYPE, raw: null };

/** A float as MariaDB prints a DOUBLE (shortest round-trip text, `1e21` style exponents). */
function floatText(f: number): string {
  if (!Number.isFinite(f)) return "NULL";
  const s = String(f);
  return s.replace("e+", "e");
}

/**
 * `a op b` with MySQL's types: integers stay BIGINT (UNSIGNED when either side is; overflow → 1690), any DECIMAL
 * makes the result an exact DECIMAL (`*` adds the scales), any float or string makes it DOUBLE; `/` is DECIMAL with
 * the dividend's scale + 4 (DOUBLE for floats); division or MOD by zero and NULL operands give NULL.
 */
export function arithmetic(op: ArithmeticOp, a: Value, b: Value): Value {
  if (a.raw === null || b.raw === null) return nullValue;
  const x = toNum(a);
  const y = toNum(b);
  if (x.kind === "float" || y.kind === "float") {
    const p = asFloat(x);
    const q = asFloat(y);
    switch (op) {
      case "+": return value(Type.FLOAT64, floatText(p + q));
      case "-": return value(Type.FLOAT64, floatText(p - q));
      case "*": return value(Type.FLOAT64, floatText(p * q));
      case "/": return q === 0 ? nullValue : value(Type.FLOAT64, floatText(p / q));
      case "%": return q === 0 ? nullValue : value(Type.FLOAT64, floatText(p % q));
      case "div": return q === 0 ? nullValue : value(Type.INT64, BigInt(Math.trunc(p / q)).toString());
    }
  }
  if (x.kind === "int" && y.kind === "int" && op !== "/") {
    const unsigned = x.unsigned || y.unsigned;
    let r: bigint;
    switch (op) {
      case "+": r = x.v + y.v; break;
      case "-": r = x.v - y.v; break;
      case "*": r = x.v * y.v; break;
      case "div": if (y.v === 0n) return nullValue; r = x.v / y.v; break;
      case "%": if (y.v === 0n) return nullValue; r = x.v % y.v; break;
    }
    const min = unsigned ? 0n : INT64_MIN;
    const max = unsigned ? UINT64_MAX : INT64_MAX;
    if (r < min || r > max) throw outOfRange(op, unsigned ? "BIGINT UNSIGNED" : "BIGINT");
    return value(unsigned ? Type.UINT64 : Type.INT64, r.toString());
  }
  const p = asDec(x);
  const q = asDec(y);
  switch (op) {
    case "+": return value(Type.DECIMAL, decimalToString(addDecimal(p, q)));
    case "-": return value(Type.DECIMAL, decimalToString(addDecimal(p, { mant: -q.mant, scale: q.scale })));
    case "*": return value(Type.DECIMAL, decimalToString({ mant: p.mant * q.mant, scale: p.scale + q.scale }));
    case "/":
      if (q.mant === 0n) return nullValue;
      return value(Type.DECIMAL, decimalToString(divideDecimal(p, q, Math.min(p.scale + DIV_PRECISION_INCREMENT, 38))));
    case "div": case "%": {
      if (q.mant === 0n) return nullValue;
      // Both at one scale: DIV truncates toward zero, MOD keeps the dividend's sign (bigint semantics).
      const scale = Math.max(p.scale, q.scale);
      const pm = p.mant * 10n ** BigInt(scale - p.scale);
      const qm = q.mant * 10n ** BigInt(scale - q.scale);
      return op === "div" ? value(Type.INT64, (pm / qm).toString()) : value(Type.DECIMAL, decimalToString({ mant: pm % qm, scale }));
    }
  }
}

/**
 * A DOUBLE as MariaDB prints it: with a fixed number of decimals when the column has them (`decimals` < 31, e.g.
 * STD over integers, PERCENT_RANK), else the shortest round-trip digits, in plain notation for decimal exponents
 * -15..14 and `1.5e15` / `1e-16` style beyond. NaN/Infinity are NULL in MariaDB and give undefined here.
 */
export function formatDouble(f: number, decimals = 31): string | undefined {
  if (!Number.isFinite(f)) return undefined;
  if (decimals < 31) return f.toFixed(decimals);
  if (f === 0) return "0";
  const [mant = "", exp = "0"] = f.toExponential().split("e");
  const x = Number(exp);
  if (x >= -15 && x <= 14) {
    const neg = mant.startsWith("-");
    const digits = mant.replace("-", "").replace(".", "");
    let s: string;
    if (x >= 0) s = digits.length > x + 1 ? `${digits.slice(0, x + 1)}.${digits.slice(x + 1)}` : digits.padEnd(x + 1, "0");
    else s = `0.${"0".repeat(-x - 1)}${digits}`;
    return neg ? `-${s}` : s;
  }
  return `${mant}e${x}`;
}
