import { evaluateList } from "@vt/evalengine";
import { DestinationKeyspaceID } from "@vt/key";
import type { VindexFunc } from "@vt/plan";
import { makeField, Type, type Field, type Result, type Row, type Value } from "@vt/sqltypes";
import type { Executor } from "./executor.js";
import { mapValues } from "./resolve-route.js";

const enc = new TextEncoder();
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** One mapped destination of an id: a keyspace id, or a key range (non-unique / write-only lookups). */
interface Hit { readonly id: Value; readonly ksid?: Uint8Array; readonly start?: Uint8Array; readonly end?: Uint8Array }

/**
 * VindexFunc: maps each id through the vindex and returns one row per keyspace id (or key range), with the
 * requested columns of (id, keyspace_id, range_start, range_end, hex_keyspace_id, shard). hex is lower-case; `shard`
 * is the serving shard holding the keyspace id. Ids that map nowhere give no row.
 */
export const vindexFuncExecutor: Executor<VindexFunc> = {
  async execute(node, vc, bindVars) {
    const ids = evaluateList(node.value, { bindVars });
    const dests = ids.length > 0 ? await mapValues(node, vc, ids) : [];
    const hits: Hit[] = [];
    dests.forEach((d, i) => {
      const id = ids[i]!;
      switch (d.kind) {
        case "KeyspaceId": hits.push({ id, ksid: d.ksid }); break;
        case "KeyspaceIds": for (const ksid of d.ksids) hits.push({ id, ksid }); break;
        case "KeyRange": hits.push({ id, start: d.start, end: d.end }); break;
        case "None": break;
      }
    });
    const wantShard = node.cols.some((c) => c.col === 5);
    const withKsid = hits.filter((h) => h.ksid !== undefined);
    const shards = wantShard && withKsid.length > 0
      ? await vc.resolver.resolve(node.keyspace.name, vc.tabletType, withKsid.map((h) => DestinationKeyspaceID(h.ksid!)))
      : [];
    const shardOf = new Map<Hit, string>();
    withKsid.forEach((h, i) => { const s = shards[i]?.[0]; if (s) shardOf.set(h, s.shard); });
    const fields: Field[] = node.cols.map((c) => makeField(c.name, Type.VARBINARY));
    const rows: Row[] = hits.map((h) => node.cols.map((c) => cellOf(c.col, h, shardOf.get(h))));
    const r: Result = { fields, rows, rowsAffected: 0n, insertId: 0n, info: "" };
    return r;
  },
};

function cellOf(col: number, h: Hit, shard: string | undefined): Uint8Array | null {
  switch (col) {
    case 0: return h.id.raw;
    case 1: return h.ksid ?? new Uint8Array(0);
    case 2: return h.ksid ? null : (h.start ?? null);
    case 3: return h.ksid ? null : (h.end ?? null);
    case 4: return h.ksid ? enc.encode(hex(h.ksid)) : null;
    case 5: return shard === undefined ? null : enc.encode(shard);
    default: return null;
  }
}
