import { SqlError, VT } from "@vt/errors";
import { evaluate } from "@vt/evalengine";
import { DestinationAllShards, DestinationAnyShard } from "@vt/key";
import type { Insert } from "@vt/plan";
import { bindVar, int64Value, type Result, type Value } from "@vt/sqltypes";
import type { ExecCursor, Executor } from "./executor.js";
import { cannotMap, fromVindexDestination, mapValues } from "./resolve-route.js";
import { allOrThrow, mergeResults } from "./result-utils.js";
import type { BindVars, ResolvedShard } from "./vcursor.js";

const dec = new TextDecoder();

/**
 * INSERT. Unsharded: one query to the keyspace's shard. Sharded: fill auto-increment values from the sequence,
 * map each row's primary vindex value to a keyspace id, group rows per shard and send one INSERT per shard.
 * Throws "could not map [v] to a keyspace id" when a row's value does not map to exactly one keyspace id.
 */
export const insertExecutor: Executor<Insert> = {
  async execute(node, vc, bindVars) {
    if (node.opcode === "InsertUnsharded") {
      const rss = (await vc.resolver.resolve(node.keyspace.name, vc.tabletType, [DestinationAllShards()]))[0] ?? [];
      const r = await send(vc, rss, rss.map(() => ({ sql: node.query!, bindVars })));
      if (r.insertId !== 0n) vc.session.setLastInsertId(r.insertId);
      return r;
    }
    const bv: BindVars = { ...bindVars };
    const firstGenerated = node.generate ? await generate(node, vc, bv) : undefined;
    const rows = node.rows ?? [];
    const values: Value[] = (node.vindexValues ?? []).map((r) => evaluate(r[0]!, { bindVars: bv }));
    const dests = await mapValues({ keyspace: node.keyspace, ...(node.vindex ? { vindex: node.vindex } : {}) }, vc, values);
    dests.forEach((d, i) => { if (d.kind !== "KeyspaceId") throw cannotMap(values[i]!); });
    const shards = await vc.resolver.resolve(node.keyspace.name, vc.tabletType, dests.map(fromVindexDestination));
    const byShard = new Map<string, { rs: ResolvedShard; rows: string[] }>();
    shards.forEach((s, i) => {
      const rs = s[0];
      if (!rs || s.length !== 1) throw cannotMap(values[i]!);
      const e = byShard.get(rs.shard) ?? { rs, rows: [] };
      e.rows.push(rows[i]!);
      byShard.set(rs.shard, e);
    });
    const groups = [...byShard.values()];
    const r = await send(vc, groups.map((g) => g.rs), groups.map((g) => ({ sql: `${node.prefix}${g.rows.join(", ")}${node.suffix ?? ""}`, bindVars: bv })));
    const insertId = firstGenerated ?? r.insertId;
    if (insertId !== 0n) vc.session.setLastInsertId(insertId);
    return { ...r, insertId };
  },
};

async function send(vc: ExecCursor, rss: ResolvedShard[], queries: { sql: string; bindVars: BindVars }[]): Promise<Result> {
  const outcomes = await vc.shards.executeMultiShard(rss, queries, { isDML: true, canAutocommit: rss.length === 1, ...(vc.signal ? { signal: vc.signal } : {}) });
  return mergeResults(allOrThrow(outcomes));
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
    bv[`__seq${i}`] = v === null ? bindVar(int64Value(next++)) : bindVar(evaluate(v, { bindVars: bv }));
  });
  return first;
}
