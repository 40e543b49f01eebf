// The `consistent_lookup` / `consistent_lookup_unique` vindexes: lookup rows kept consistent with the owner table
// without 2PC. Lookup rows are written in the PRE session (committed first) and deleted in the POST session; a
// duplicate on insert is resolved by locking the lookup row and the owner row it points at.
import { SqlError } from "@vt/errors";
import type { BindVariable, Value } from "@vt/sqltypes";
import { bytesBindVar, valueBindVar } from "./bind-vars.js";
import { compareValues } from "./compare-values.js";
import { LookupVindex, needCursor } from "./lookup-vindex.js";
import { ksidValue } from "./lookup-internal.js";
import type { VindexContext } from "./vindex-registry.js";
import type { LookupCursor, VindexDestination } from "./vschema-types.js";
import { bytesEqual, vindexError } from "./value-convert.js";

/** True for duplicate-key errors (1062, or vtrpc ALREADY_EXISTS). */
export function isDuplicateKey(e: unknown): boolean {
  const err = SqlError.from(e);
  return err.errno === 1062 || err.vtCode === "ALREADY_EXISTS";
}

/** Vitess's ConsistentLookup (cost 20) and ConsistentLookupUnique (cost 10). */
export class ConsistentLookupVindex extends LookupVindex {
  #keyspace = "";
  #ownerTable = "";
  #ownerColumns: string[] = [];
  #lockLookup = "";
  #lockOwner = "";
  #insertLookup = "";
  #updateLookup = "";

  constructor(name: string, params: Readonly<Record<string, string>>, unique: boolean, owner?: string) {
    super(name, params, { typeName: unique ? "consistent_lookup_unique" : "consistent_lookup", unique, hashed: false }, owner);
  }

  /**
   * Records the owner table and its columns (set by the vschema builder; needed before create()).
   * Throws SqlError when the column count differs from the vindex's `from` columns.
   */
  setOwnerInfo(keyspace: string, table: string, columns: readonly string[]): void {
    if (columns.length !== this.fromColumns.length) throw vindexError(`owner table column count does not match vindex ${this.name}`);
    this.#keyspace = keyspace;
    this.#ownerTable = table;
    this.#ownerColumns = [...columns];
    const where = this.fromColumns.map((c) => `${c} = :${c}`).join(" and ");
    const p = this.lkp.p;
    this.#lockLookup = `select ${p.to} from ${p.table} where ${where} for update`;
    this.#lockOwner = `select ${columns[0]} from ${table} where ${columns.map((c, i) => `${c} = :${this.fromColumns[i]}`).join(" and ")} for update`;
    this.#insertLookup = `insert into ${p.table}(${[...this.fromColumns, p.to].join(", ")}) values(${[...this.fromColumns, p.to].map((c) => `:${c}`).join(", ")})`;
    this.#updateLookup = `update ${p.table} set ${p.to}=:${p.to} where ${where}`;
  }

  /** The generated statements, for inspection and tests. */
  ownerQueries(): { lockLookup: string; lockOwner: string; insertLookup: string; updateLookup: string } {
    return { lockLookup: this.#lockLookup, lockOwner: this.#lockOwner, insertLookup: this.#insertLookup, updateLookup: this.#updateLookup };
  }

  override async map(values: readonly Value[], vc?: LookupCursor): Promise<VindexDestination[]> {
    if (this.writeOnly) return this.mapResult(values, []);
    if (values.length === 1 && values[0]!.raw === null && this.ignoreNulls) return [{ kind: "KeyRange", start: new Uint8Array(0), end: new Uint8Array(0) }];
    return this.mapResult(values, await this.lkp.lookup(needCursor(vc), values, "PRE"));
  }

  override async verify(values: readonly Value[], ksids: readonly Uint8Array[], vc?: LookupCursor): Promise<boolean[]> {
    if (this.writeOnly || this.lkp.p.noVerify) return values.map(() => true);
    return this.lkp.verify(needCursor(vc), values, ksids.map(ksidValue), "PRE");
  }

  /** Inserts in the PRE session; on a duplicate, resolves each row with handleDup (Vitess semantics). */
  override async create(vc: LookupCursor, rows: readonly (readonly Value[])[], ksids: readonly Uint8Array[], ignoreMode: boolean): Promise<void> {
    try {
      await this.lkp.create(vc, rows, ksids.map(ksidValue), ignoreMode, "PRE");
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      for (const [i, row] of rows.entries()) await this.#handleDup(vc, row, ksids[i]!, e);
    }
  }

  /**
   * A duplicate lookup row: lock it; if it vanished, insert; if its owner row still exists, the duplicate is real
   * (re-throw); if it points at a gone owner row, take it over (update to our ksid).
   */
  async #handleDup(vc: LookupCursor, row: readonly Value[], ksid: Uint8Array, dupError: unknown): Promise<void> {
    if (!this.#lockLookup) throw vindexError(`consistent_lookup vindex ${this.name} has no owner table`);
    const bv: Record<string, BindVariable> = {};
    row.forEach((v, c) => { bv[this.fromColumns[c]!] = valueBindVar(v); });
    bv[this.toColumn] = bytesBindVar(ksid);
    const qr = await vc.execute(this.#lockLookup, bv, { commitOrder: "PRE", rollbackOnError: false });
    if (qr.rows.length === 0) {
      await vc.execute(this.#insertLookup, bv, { commitOrder: "PRE", rollbackOnError: true });
      return;
    }
    if (qr.rows.length > 1) throw new SqlError(1105, "HY000", `unexpected rows: ${qr.rows.length} from consistent lookup vindex`, "INTERNAL");
    const existing = qr.rows[0]![0] ?? new Uint8Array(0);
    if (!vc.executeKeyspaceId) throw vindexError("consistent_lookup: cursor cannot execute by keyspace id");
    const owner = await vc.executeKeyspaceId(this.#keyspace, existing, this.#lockOwner, bv, { autocommit: false, rollbackOnError: false });
    if (owner.rows.length >= 1) throw dupError;
    if (bytesEqual(existing, ksid)) return;
    await vc.execute(this.#updateLookup, bv, { commitOrder: "PRE", rollbackOnError: true });
  }

  /** Deletes in the POST session (after the owner rows are gone). */
  override delete(vc: LookupCursor, rows: readonly (readonly Value[])[], ksid: Uint8Array): Promise<void> {
    return this.lkp.delete(vc, rows, ksidValue(ksid), "POST");
  }

  /** No-op when the values did not change; else delete then create. */
  override async update(vc: LookupCursor, oldValues: readonly Value[], ksid: Uint8Array, newValues: readonly Value[]): Promise<void> {
    if (oldValues.every((v, i) => newValues[i] !== undefined && compareValues(v, newValues[i]!) === 0 && (v.raw === null) === (newValues[i]!.raw === null))) return;
    await this.delete(vc, [oldValues], ksid);
    await this.create(vc, [newValues], [ksid], false);
  }

  /** Owner keyspace/table/columns as set by setOwnerInfo. */
  ownerInfo(): { keyspace: string; table: string; columns: readonly string[] } {
    return { keyspace: this.#keyspace, table: this.#ownerTable, columns: this.#ownerColumns };
  }
}

/** Registry factories. */
export const newConsistentLookup = (name: string, params: Readonly<Record<string, string>>, ctx: VindexContext) =>
  new ConsistentLookupVindex(name, params, false, ctx.owner);
export const newConsistentLookupUnique = (name: string, params: Readonly<Record<string, string>>, ctx: VindexContext) =>
  new ConsistentLookupVindex(name, params, true, ctx.owner);
