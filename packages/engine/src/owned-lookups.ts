import { SqlError, VT } from "@vt/errors";
import { compareValues, evaluate, type EvalExpr } from "@vt/evalengine";
import type { OwnedLookups } from "@vt/plan";
import { Type, type BindVariable, type Field, type Result, type Row, type Value } from "@vt/sqltypes";
import { isLookup, isMultiColumn, type Lookup, type LookupCursor } from "@vt/vindexes";
import { cannotMap, mapValues } from "./resolve-route.js";
import type { BindVars, VCursor } from "./vcursor.js";

/** A lookup vindex of a keyspace by name. Throws VT13001 when absent or not a lookup vindex. */
export function lookupVindex(vc: VCursor, keyspace: string, name: string): Lookup {
  const v = vc.vschema.keyspaces.get(keyspace)?.vindexes.get(name);
  if (!v || !isLookup(v)) throw VT.VT13001(`lookup vindex ${name} not found in keyspace ${keyspace}`);
  return v;
}

/** The lookup cursor of the VCursor. Throws VT13001 when vtgate provided none. */
export function lookupCursor(vc: VCursor): LookupCursor {
  if (!vc.lookup) throw VT.VT13001("lookup vindex maintenance needs a lookup cursor");
  return vc.lookup;
}

/** Runs `fn` in the VCursor's (statement) transaction when it offers one. */
export function inTransaction<T>(vc: VCursor, fn: () => Promise<T>): Promise<T> {
  return vc.transaction ? vc.transaction(fn) : fn();
}

/** A typed value of a result cell. */
export const cellValue = (row: Row, fields: readonly Field[], i: number): Value => ({ type: fields[i]?.type ?? Type.VARBINARY, raw: row[i] ?? null });

/** A bind variable holding a value (NULL as NULL_TYPE). */
export const valueBind = (v: Value): BindVariable => (v.raw === null ? { type: Type.NULL_TYPE, value: new Uint8Array(0), values: [] } : { type: v.type, value: v.raw, values: [] });

/** True when two values are the same (both NULL, or equal as compareValues orders them). */
export function sameValue(a: Value, b: Value): boolean {
  if (a.raw === null || b.raw === null) return a.raw === null && b.raw === null;
  return compareValues(a, b) === 0;
}

/**
 * Keyspace ids of rows from their primary vindex column values, one array of values (in the vindex's column order)
 * per row; a multi-column vindex maps all of a row's columns together. Each must map to exactly one keyspace id.
 */
export async function primaryKsids(vc: VCursor, keyspace: string, vindex: string, rows: readonly (readonly Value[])[]): Promise<Uint8Array[]> {
  const v = vc.vschema.keyspaces.get(keyspace)?.vindexes.get(vindex);
  const dests = v && isMultiColumn(v)
    ? await v.mapMulti(rows, vc.lookup)
    : await mapValues({ keyspace: { name: keyspace }, vindex }, vc, rows.map((r) => r[0]!));
  return dests.map((d, i) => {
    if (d.kind !== "KeyspaceId") throw cannotMap(rows[i]![0]!);
    return d.ksid;
  });
}

/**
 * Maintains owned lookup vindexes for the rows an UPDATE/DELETE is about to change: `selected` holds the rows of
 * `owned.query`. DELETE (no newValues): each row's lookup rows are deleted. UPDATE: for each row whose looked-up
 * columns change, the old lookup row is deleted and a new one created.
 */
export async function maintainOwned(vc: VCursor, keyspace: string, owned: OwnedLookups, selected: Result, bindVars: BindVars): Promise<void> {
  if (selected.rows.length === 0) return;
  const { fields, rows } = selected;
  const ksids = await primaryKsids(vc, keyspace, owned.primaryVindex, rows.map((r) => owned.primaryCols.map((c) => cellValue(r, fields, c))));
  const cursor = lookupCursor(vc);
  for (const v of owned.vindexes) {
    const vindex = lookupVindex(vc, keyspace, v.vindex);
    if (v.newValues && rows.length > 1) {
      const news = rows.map((row) => v.newValues!.map((e: EvalExpr) => evaluate(e, { bindVars, row, fields })));
      checkUniqueWithin(vindex, news, ksids);
    }
    for (const [i, row] of rows.entries()) {
      const oldValues = v.oldCols.map((c) => cellValue(row, fields, c));
      if (!v.newValues) {
        if (vindex.ignoreNulls && oldValues.some((x) => x.raw === null)) continue;
        await vindex.delete(cursor, [oldValues], ksids[i]!);
        continue;
      }
      const newValues = v.newValues.map((e: EvalExpr) => evaluate(e, { bindVars, row, fields }));
      if (oldValues.every((o, j) => sameValue(o, newValues[j]!))) continue;
      if (vindex.ignoreNulls && oldValues.some((x) => x.raw === null)) {
        if (!newValues.some((x) => x.raw === null)) await vindex.create(cursor, [newValues], [ksids[i]!], false);
        continue;
      }
      await vindex.update(cursor, oldValues, ksids[i]!, newValues);
    }
  }
}

/**
 * A unique lookup vindex cannot take the same value for two rows of one statement: throws 1062/23000 when two of
 * `rows` (with different keyspace ids) carry equal values. (Within one statement the lookup's own duplicate
 * handling cannot see this: the owner rows are not written yet.)
 */
export function checkUniqueWithin(vindex: Lookup, rows: readonly (readonly Value[])[], ksids: readonly Uint8Array[]): void {
  if (!vindex.isUnique) return;
  const seen = new Map<string, Uint8Array>();
  rows.forEach((r, i) => {
    if (r.some((v) => v.raw === null)) return;
    const k = JSON.stringify(r.map((v) => Buffer.from(v.raw!).toString("latin1")));
    const prev = seen.get(k);
    if (prev && Buffer.compare(Buffer.from(prev), Buffer.from(ksids[i]!)) !== 0) {
      const text = r.map((v) => Buffer.from(v.raw!).toString("utf8")).join("-");
      throw new SqlError(1062, "23000", `Duplicate entry '${text}' for key '${vindex.name}'`, "ALREADY_EXISTS");
    }
    seen.set(k, ksids[i]!);
  });
}
