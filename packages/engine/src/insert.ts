import { SqlError, VT } from "@vt/errors";
import { evaluate, type EvalEnv } from "@vt/evalengine";
import { DestinationAllShards, DestinationAnyShard } from "@vt/key";
import type { Insert } from "@vt/plan";
import { emptyResult, int64Value, type Result, type Value } from "@vt/sqltypes";
import { isMultiColumn, isSingleColumn } from "@vt/vindexes";
import type { ExecCursor, Executor } from "./executor.js";
import { checkUniqueWithin, inTransaction, lookupCursor, lookupVindex, valueBind } from "./owned-lookups.js";
import { cannotMap, fromVindexDestination, mapValues } from "./resolve-route.js";
import { allOrThrow, mergeResults } from "./result-utils.js";
import type { BindVars, ResolvedShard } from "./vcursor.js";

const dec = new TextDecoder();

/**
 * INSERT. Unsharded: one query to the keyspace's shard (a reference table: to every shard, counting one). Sharded:
 * fill auto-increment values from the sequence, map each row's primary vindex value to a keyspace id, create the
 * rows of owned lookup vindexes (ignore mode + verify for INSERT IGNORE / ON DUPLICATE KEY UPDATE, dropping rows
 * whose lookup belongs to another row), group rows per shard and send one INSERT per shard. INSERT ... SELECT runs
 * its input first and inserts the rows it returns. With owned lookups everything runs in one transaction.
 * Throws "could not map [v] to a keyspace id" when a row's value does not map to exactly one keyspace id.
 */
export const insertExecutor: Executor<Insert> = {
  async execute(node, vc, bindVars) {
    if (node.opcode === "InsertUnsharded") {
      const rss = (await vc.resolver.resolve(node.keyspace.name, vc.tabletType, [DestinationAllShards()]))[0] ?? [];
      let sql = node.query;
      let bv = bindVars;
      if (node.input) {
        const set = await rowsOf(node, vc, bindVars);
        if (set.texts.length === 0) return emptyResult();
        sql = `${node.prefix}${set.texts.join(", ")}${node.suffix ?? ""}`;
        bv = set.bindVars;
      }
      const results = await send(vc, rss, rss.map(() => ({ sql: sql!, bindVars: bv })));
      const r = node.reference ? results[0] ?? emptyResult() : mergeResults(results);
      if (r.insertId !== 0n) vc.session.setLastInsertId(r.insertId);
      return r;
    }
    if (node.owned && node.owned.length > 0) return inTransaction(vc, () => insertSharded(node, vc, bindVars));
    return insertSharded(node, vc, bindVars);
  },
};

/** The rows to insert: their SQL text and the environment their vindex values evaluate in. */
interface RowSet { readonly texts: string[]; readonly envs: EvalEnv[]; readonly bindVars: BindVars }

async function rowsOf(node: Insert, vc: ExecCursor, bindVars: BindVars): Promise<RowSet> {
  const bv: BindVars = { ...bindVars };
  if (!node.input) return { texts: [...(node.rows ?? [])], envs: (node.rows ?? []).map(() => ({ bindVars: bv })), bindVars: bv };
  const res = await vc.run(node.input, bindVars);
  const texts = res.rows.map((row, r) => `(${row.map((cell, c) => {
    bv[`__is${r}_${c}`] = valueBind({ type: res.fields[c]?.type ?? 0, raw: cell });
    return `:__is${r}_${c}`;
  }).join(", ")})`);
  return { texts, envs: res.rows.map((row) => ({ bindVars: bv, row, fields: res.fields })), bindVars: bv };
}

async function insertSharded(node: Insert, vc: ExecCursor, bindVars: BindVars): Promise<Result> {
  const set = await rowsOf(node, vc, bindVars);
  const bv = set.bindVars;
  const firstGenerated = node.generate ? await generate(node, vc, bv) : undefined;
  const n = set.texts.length;
  if (n === 0) return emptyResult();
  const exprs = (i: number) => (node.input ? node.vindexValues?.[0] : node.vindexValues?.[i]) ?? [];
  const values: Value[] = set.envs.map((env, i) => evaluate(exprs(i)[0]!, env));
  const primary = vc.vschema.keyspaces.get(node.keyspace.name)?.vindexes.get(node.vindex ?? "");
  const dests = primary && isMultiColumn(primary)
    ? await primary.mapMulti(set.envs.map((env, i) => exprs(i).map((e) => evaluate(e, env))), vc.lookup)
    : await mapValues({ keyspace: node.keyspace, ...(node.vindex ? { vindex: node.vindex } : {}) }, vc, values);
  const ksids: (Uint8Array | null)[] = dests.map((d, i) => {
    if (d.kind !== "KeyspaceId") throw cannotMap(values[i]!);
    return d.ksid;
  });
  for (const o of node.owned ?? []) await createOwned(node, o, vc, set, ksids);
  const shards = await vc.resolver.resolve(node.keyspace.name, vc.tabletType, dests.map(fromVindexDestination));
  const byShard = new Map<string, { rs: ResolvedShard; rows: string[] }>();
  shards.forEach((s, i) => {
    if (ksids[i] === null) return;
    const rs = s[0];
    if (!rs || s.length !== 1) throw cannotMap(values[i]!);
    const e = byShard.get(rs.shard) ?? { rs, rows: [] };
    e.rows.push(set.texts[i]!);
    byShard.set(rs.shard, e);
  });
  const groups = [...byShard.values()];
  const r = groups.length === 0 ? emptyResult()
    : mergeResults(await send(vc, groups.map((g) => g.rs), groups.map((g) => ({ sql: `${node.prefix}${g.rows.join(", ")}${node.suffix ?? ""}`, bindVars: bv }))));
  const insertId = firstGenerated ?? r.insertId;
  if (insertId !== 0n) vc.session.setLastInsertId(insertId);
  return { ...r, insertId };
}

/**
 * Creates one owned lookup vindex's rows for the rows still inserted. Ignore mode (INSERT IGNORE / upsert): insert
 * ignoring duplicates, then verify; a row whose lookup value belongs to another keyspace id is dropped (its ksid
 * set to null). Rows with a NULL looked-up value are skipped under ignore_nulls.
 */
async function createOwned(node: Insert, o: NonNullable<Insert["owned"]>[number], vc: ExecCursor, set: RowSet, ksids: (Uint8Array | null)[]): Promise<void> {
  const vindex = lookupVindex(vc, node.keyspace.name, o.vindex);
  const cursor = lookupCursor(vc);
  const idx: number[] = [];
  const rows: Value[][] = [];
  set.envs.forEach((env, i) => {
    if (ksids[i] === null) return;
    const exprs = node.input ? o.values[0]! : o.values[i]!;
    const vals = exprs.map((e) => evaluate(e, env));
    if (vindex.ignoreNulls && vals.some((v) => v.raw === null)) return;
    idx.push(i);
    rows.push(vals);
  });
  if (rows.length === 0) return;
  const rowKsids = idx.map((i) => ksids[i]!);
  if (!node.ignore) checkUniqueWithin(vindex, rows, rowKsids);
  if (!node.ignore) {
    await vindex.create(cursor, rows, rowKsids, false);
    return;
  }
  await vindex.create(cursor, rows, rowKsids, true);
  if (!isSingleColumn(vindex)) return;
  const ok = await vindex.verify(rows.map((r) => r[0]!), rowKsids, cursor);
  ok.forEach((good, j) => { if (!good) ksids[idx[j]!] = null; });
}

async function send(vc: ExecCursor, rss: ResolvedShard[], queries: { sql: string; bindVars: BindVars }[]): Promise<Result[]> {
  const outcomes = await vc.shards.executeMultiShard(rss, queries, { isDML: true, canAutocommit: rss.length === 1, ...(vc.signal ? { signal: vc.signal } : {}) });
  return allOrThrow(outcomes);
}

/** Reserves ids for rows without an auto-increment value; binds `__seqN` for every row. Returns the first new id. */
async function generate(node: Insert, vc: ExecCursor, bv: BindVars): Promise<bigint | undefined> {
  const g = node.generate!;
  const missing = g.values.filter((v) => v === null).length;
  let next = 0n;
  let first: bigint | undefined;
  if (missing > 0) {
    const rss = (await vc.resolver.resolve(g.keyspace.name, vc.tabletType, [DestinationAnyShard()]))[0] ?? [];
    if (rss.length === 0) throw VT.VT14004(g.keyspace.name);
    const outcomes = await vc.shards.executeMultiShard(rss.slice(0, 1), [{ sql: `select next ${missing} values from ${g.table}`, bindVars: {} }], { isDML: false, canAutocommit: true });
    const r = allOrThrow(outcomes)[0]!;
    const cell = r.rows[0]?.[0];
    if (!cell) throw new SqlError(1105, "HY000", `sequence ${g.table} returned no value`, "INTERNAL");
    next = BigInt(dec.decode(cell));
    first = next;
  }
  g.values.forEach((v, i) => {
    bv[`__seq${i}`] = v === null ? valueBind(int64Value(next++)) : valueBind(evaluate(v, { bindVars: bv }));
  });
  return first;
}
