// The shared machinery of lookup vindexes: params, the SQL they issue and the row bookkeeping (Vitess lookupInternal).
import { SqlError } from "@vt/errors";
import { type BindVariable, type Result, Type, type Value, isIntegral } from "@vt/sqltypes";
import { bytesBindVar, tupleBindVar, valueBindVar } from "./bind-vars.js";
import { compareValues } from "./compare-values.js";
import type { CommitOrder, LookupCursor } from "./vschema-types.js";
import { vindexError } from "./value-convert.js";

/** Params every lookup vindex accepts. */
export const LOOKUP_PARAMS = [
  "table", "from", "to", "autocommit", "multi_shard_autocommit", "write_only", "no_verify", "ignore_nulls",
  "read_lock", "batch_lookup",
] as const;

const READ_LOCKS: Record<string, string> = { exclusive: "for update", shared: "lock in share mode", none: "" };

/** Reads a boolean param: absent → false; only "true"/"false" allowed. */
export function boolParam(params: Readonly<Record<string, string>>, key: string): boolean {
  const v = params[key];
  if (v === undefined) return false;
  if (v === "true") return true;
  if (v === "false") return false;
  throw vindexError(`${key} value must be 'true' or 'false': '${v}'`);
}

/** Parsed lookup params. */
export interface LookupParams {
  readonly table: string;
  readonly fromColumns: readonly string[];
  readonly to: string;
  readonly autocommit: boolean;
  readonly multiShardAutocommit: boolean;
  readonly writeOnly: boolean;
  readonly noVerify: boolean;
  readonly ignoreNulls: boolean;
  readonly readLock: string;
  readonly batchLookup: boolean;
}

/** Parses and checks lookup params. Throws SqlError naming the vindex and the bad param. */
export function parseLookupParams(name: string, params: Readonly<Record<string, string>>): LookupParams {
  for (const p of ["table", "from", "to"]) {
    if (!params[p]) throw vindexError(`lookup vindex ${name}: missing required param '${p}'`);
  }
  const readLock = params["read_lock"] ?? "exclusive";
  if (!(readLock in READ_LOCKS)) throw vindexError(`lookup vindex ${name}: invalid read_lock value: ${readLock}`);
  return {
    table: params["table"]!,
    fromColumns: params["from"]!.split(",").map((c) => c.trim()),
    to: params["to"]!.trim(),
    autocommit: boolParam(params, "autocommit"),
    multiShardAutocommit: boolParam(params, "multi_shard_autocommit"),
    writeOnly: boolParam(params, "write_only"),
    noVerify: boolParam(params, "no_verify"),
    ignoreNulls: boolParam(params, "ignore_nulls"),
    readLock,
    batchLookup: boolParam(params, "batch_lookup"),
  };
}

/** Rows found for one looked-up value: the `to` column of each match. */
export type LookupRows = Value[];

function toValue(row: Result["rows"][number], fields: Result["fields"], idx: number): Value {
  return { type: fields[idx]?.type ?? Type.VARBINARY, raw: row[idx] ?? null };
}

/** Issues a lookup vindex's SQL through a LookupCursor. */
export class LookupInternal {
  /** `select from, to from table where from in ::from` */
  readonly sel: string;
  /** `sel` plus the read lock, used inside DML transactions. */
  readonly selTxDml: string;
  /** `select from from table where from = :from and to = :to` */
  readonly ver: string;
  /** `delete from table where from1 = :from1 and … and to = :to` */
  readonly del: string;

  constructor(readonly name: string, readonly p: LookupParams) {
    const f0 = p.fromColumns[0]!;
    this.sel = `select ${f0}, ${p.to} from ${p.table} where ${f0} in ::${f0}`;
    const lock = READ_LOCKS[p.readLock] ?? "";
    this.selTxDml = lock ? `${this.sel} ${lock}` : this.sel;
    this.ver = `select ${f0} from ${p.table} where ${f0} = :${f0} and ${p.to} = :${p.to}`;
    this.del = `delete from ${p.table} where ${[...p.fromColumns, p.to].map((c) => `${c} = :${c}`).join(" and ")}`;
  }

  /**
   * The `to` values for each id, in input order. Integral ids (or batch_lookup) go in one `in` query,
   * others one query each.
   */
  async lookup(vc: LookupCursor, ids: readonly Value[], order: CommitOrder = "NORMAL"): Promise<LookupRows[]> {
    const co: CommitOrder = this.p.autocommit ? "AUTOCOMMIT" : order;
    const sql = vc.inTransactionAndIsDML?.() ? this.selTxDml : this.sel;
    const f0 = this.p.fromColumns[0]!;
    const opts = { commitOrder: co, autocommit: co === "AUTOCOMMIT" };
    const first = ids[0];
    if (first === undefined) return [];
    if (isIntegral(first.type) || this.p.batchLookup) {
      const res = await vc.execute(sql, { [f0]: tupleBindVar(ids) }, opts);
      const byKey = new Map<string, Value[]>();
      for (const row of res.rows) {
        const k = Buffer.from(row[0] ?? new Uint8Array(0)).toString("latin1");
        const list = byKey.get(k) ?? [];
        list.push(toValue(row, res.fields, 1));
        byKey.set(k, list);
      }
      return ids.map((id) => byKey.get(Buffer.from(id.raw ?? new Uint8Array(0)).toString("latin1")) ?? []);
    }
    const out: LookupRows[] = [];
    for (const id of ids) {
      const res = await vc.execute(sql, { [f0]: tupleBindVar([id]) }, opts);
      out.push(res.rows.map((row) => toValue(row, res.fields, 1)));
    }
    return out;
  }

  /** True for each (id, to value) pair present in the lookup table. */
  async verify(vc: LookupCursor, ids: readonly Value[], toValues: readonly Value[], order: CommitOrder = "NORMAL"): Promise<boolean[]> {
    const co: CommitOrder = this.p.autocommit ? "AUTOCOMMIT" : order;
    const out: boolean[] = [];
    for (const [i, id] of ids.entries()) {
      const bv = { [this.p.fromColumns[0]!]: valueBindVar(id), [this.p.to]: valueBindVar(toValues[i]!) };
      const res = await vc.execute(this.ver, bv, { commitOrder: co, autocommit: co === "AUTOCOMMIT" });
      out.push(res.rows.length > 0);
    }
    return out;
  }

  /**
   * Inserts one lookup row per input row, sorted (stable lock order), in one statement. Rows with a NULL `from`
   * value are skipped with ignore_nulls, else rejected. `ignoreMode` → `insert ignore`; `upsert` → on duplicate
   * key update. Errors are re-thrown prefixed `lookup.Create: `, keeping errno/SQLSTATE.
   */
  async create(vc: LookupCursor, rows: readonly (readonly Value[])[], toValues: readonly Value[], ignoreMode: boolean, order: CommitOrder = "NORMAL", upsert = false): Promise<void> {
    const kept: { row: readonly Value[]; to: Value }[] = [];
    for (const [i, row] of rows.entries()) {
      const nullAt = row.findIndex((v) => v.raw === null);
      if (nullAt >= 0) {
        if (!this.p.ignoreNulls) {
          throw vindexError(`lookup.Create: input has null values: row: ${i}, col: ${nullAt}, cols: ${this.p.fromColumns.join(",")}`);
        }
        continue;
      }
      kept.push({ row, to: toValues[i]! });
    }
    if (kept.length === 0) return;
    if (kept[0]!.row.length !== this.p.fromColumns.length) {
      throw vindexError(`lookup.Create: column vindex count does not match the columns in the lookup: ${kept[0]!.row.length} vs [${this.p.fromColumns.join(" ")}]`);
    }
    kept.sort((a, b) => compareRows(a.row, a.to, b.row, b.to));
    const bv: Record<string, BindVariable> = {};
    const tuples = kept.map(({ row, to }, r) => {
      const names = row.map((v, c) => {
        const n = `${this.p.fromColumns[c]}_${r}`;
        bv[n] = valueBindVar(v);
        return `:${n}`;
      });
      bv[`${this.p.to}_${r}`] = valueBindVar(to);
      return `(${[...names, `:${this.p.to}_${r}`].join(", ")})`;
    });
    const ins = this.p.multiShardAutocommit ? "insert /*vt+ MULTI_SHARD_AUTOCOMMIT=1 */" : "insert";
    let sql = `${ins}${ignoreMode ? " ignore" : ""} into ${this.p.table}(${[...this.p.fromColumns, this.p.to].join(", ")}) values${tuples.join(", ")}`;
    if (upsert) sql += ` on duplicate key update ${[...this.p.fromColumns, this.p.to].map((c) => `${c}=values(${c})`).join(", ")}`;
    const co: CommitOrder = this.p.autocommit ? "AUTOCOMMIT" : order;
    await wrap("lookup.Create", () => vc.execute(sql, bv, { commitOrder: co, autocommit: co === "AUTOCOMMIT", ignoreDuplicates: ignoreMode, rollbackOnError: true }));
  }

  /** Deletes the lookup row of each input row (no-op with autocommit, where deleting is unsafe). */
  async delete(vc: LookupCursor, rows: readonly (readonly Value[])[], to: Value, order: CommitOrder = "NORMAL"): Promise<void> {
    if (this.p.autocommit || rows.length === 0) return;
    if (rows[0]!.length !== this.p.fromColumns.length) {
      throw vindexError(`lookup.Delete: column vindex count does not match the columns in the lookup: ${rows[0]!.length} vs [${this.p.fromColumns.join(" ")}]`);
    }
    for (const row of rows) {
      const bv: Record<string, BindVariable> = {};
      row.forEach((v, c) => { bv[this.p.fromColumns[c]!] = valueBindVar(v); });
      bv[this.p.to] = valueBindVar(to);
      await wrap("lookup.Delete", () => vc.execute(this.del, bv, { commitOrder: order, rollbackOnError: true }));
    }
  }

  /** Delete then create, as Vitess's lookupInternal.Update (new values with a NULL are skipped under ignore_nulls). */
  async update(vc: LookupCursor, oldValues: readonly Value[], to: Value, newValues: readonly Value[], order: CommitOrder = "NORMAL"): Promise<void> {
    await this.delete(vc, [oldValues], to, order);
    if (this.p.ignoreNulls && newValues.some((v) => v.raw === null)) return;
    await this.create(vc, [newValues], [to], false, order);
  }
}

function compareRows(a: readonly Value[], ato: Value, b: readonly Value[], bto: Value): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return Buffer.compare(ato.raw ?? new Uint8Array(0), bto.raw ?? new Uint8Array(0));
}

async function wrap<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    const err = SqlError.from(e);
    throw new SqlError(err.errno, err.sqlState, `${what}: ${err.message}`, err.vtCode, { cause: e });
  }
}

/** The VARBINARY value of a keyspace id (the `to` column of `lookup` vindexes). */
export function ksidValue(ksid: Uint8Array): Value {
  return { type: Type.VARBINARY, raw: ksid };
}

export { bytesBindVar };
