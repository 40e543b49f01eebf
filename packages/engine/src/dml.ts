import { compareValues, evaluate } from "@vt/evalengine";
import type { Delete, Insert, LimitedDml, RowMove, Update } from "@vt/plan";
import { emptyResult, valueToBigInt, type Result } from "@vt/sqltypes";
import type { ExecCursor, Executor } from "./executor.js";
import { cellValue, inTransaction, maintainOwned, valueBind } from "./owned-lookups.js";
import { resolveRoute } from "./resolve-route.js";
import { allOrThrow, mergeResults } from "./result-utils.js";
import type { BindVars } from "./vcursor.js";

/**
 * UPDATE/DELETE: route like a SELECT and send as DML (autocommit only when one shard), summing rows affected.
 * With owned lookup vindexes the rows' lookup columns are selected first (`for update`) and their lookup rows
 * deleted / replaced, all in one transaction. A reference-table write goes to every shard and reports one shard's
 * counts. An UPDATE of the primary vindex column moves the rows (select, delete, insert). A multi-shard ORDER BY ...
 * LIMIT chooses its rows across shards first.
 */
function dmlExecutor<T extends Update | Delete>(): Executor<T> {
  return {
    async execute(node, vc, bindVars) {
      if (node.kind === "Update" && node.move) {
        const move = node.move;
        return inTransaction(vc, () => moveRows(node, move, vc, bindVars));
      }
      const limited = node.limited;
      if (limited) return inTransaction(vc, () => limitedDml(node, limited, vc, bindVars));
      const owned = node.owned;
      if (!owned) return sendDml(node, vc, bindVars);
      return inTransaction(vc, async () => {
        const selected = await select(node, owned.query, vc, bindVars);
        await maintainOwned(vc, node.keyspace.name, owned, selected, bindVars);
        return sendDml(node, vc, bindVars);
      });
    },
  };
}

async function sendDml(node: Update | Delete, vc: ExecCursor, bindVars: BindVars): Promise<Result> {
  const { rss, bindVars: bvs } = await resolveRoute(node, vc, bindVars);
  if (rss.length === 0) return emptyResult();
  const outcomes = await vc.shards.executeMultiShard(rss, rss.map((_, i) => ({ sql: node.query, bindVars: bvs[i]! })), {
    isDML: true, canAutocommit: rss.length === 1, ...(vc.signal ? { signal: vc.signal } : {}),
  });
  const results = allOrThrow(outcomes);
  return node.reference ? results[0]! : mergeResults(results);
}

/** Runs a select with the node's routing (inside the open transaction). */
async function select(node: Update | Delete, sql: string, vc: ExecCursor, bindVars: BindVars): Promise<Result> {
  const { rss, bindVars: bvs } = await resolveRoute(node, vc, bindVars);
  if (rss.length === 0) return emptyResult();
  const outcomes = await vc.shards.executeMultiShard(rss, rss.map((_, i) => ({ sql, bindVars: bvs[i]! })), { isDML: false, canAutocommit: false });
  return mergeResults(allOrThrow(outcomes));
}

/** Moves the rows an UPDATE of the primary vindex column selects: delete them, insert them changed. */
async function moveRows(node: Update, move: RowMove, vc: ExecCursor, bindVars: BindVars): Promise<Result> {
  const selected = await select(node, move.query, vc, bindVars);
  if (selected.rows.length === 0) return emptyResult();
  const { fields, rows } = selected;
  const width = fields.length - move.extras;
  const names = fields.slice(0, width).map((f) => f.name);
  const bv: BindVars = { ...bindVars };
  const rowTexts: string[] = [];
  const newRows = rows.map((row, r) => {
    const values = names.map((_, c) => cellValue(row, fields, c));
    for (const ch of move.changes) {
      const c = names.findIndex((n) => n.toLowerCase() === ch.column.toLowerCase());
      if (c < 0) continue;
      values[c] = ch.value ? evaluate(ch.value, { bindVars, row, fields }) : cellValue(row, fields, width + ch.extra!);
    }
    rowTexts.push(`(${values.map((v, c) => { bv[`__mv${r}_${c}`] = valueBind(v); return `:__mv${r}_${c}`; }).join(", ")})`);
    return values;
  });
  const ref = (cols: readonly string[]) => newRows.map((_, r) => cols.map((col) => {
    const c = names.findIndex((n) => n.toLowerCase() === col.toLowerCase());
    return c < 0 ? { kind: "Literal" as const, type: 0, value: null } : { kind: "BindVar" as const, name: `__mv${r}_${c}` };
  }));
  await vc.run(move.delete, bindVars);
  const insert: Insert = {
    kind: "Insert", opcode: "InsertSharded", keyspace: node.keyspace, tableName: move.table,
    prefix: `insert into ${quote(move.table)}(${names.map(quote).join(", ")}) values `, rows: rowTexts, suffix: "",
    vindex: move.primaryVindex, vindexValues: ref(move.primaryColumns),
    ...(move.owned.length > 0 ? { owned: move.owned.map((o) => ({ vindex: o.vindex, columns: o.columns, values: ref(o.columns) })) } : {}),
  };
  const r = await vc.run(insert, bv);
  return { ...emptyResult(), rowsAffected: r.rowsAffected };
}

const quote = (name: string): string => `\`${name.replace(/`/g, "``")}\``;

export const updateExecutor: Executor<Update> = dmlExecutor<Update>();
export const deleteExecutor: Executor<Delete> = dmlExecutor<Delete>();

/**
 * Multi-shard UPDATE/DELETE with ORDER BY ... LIMIT: select the candidate rows on every shard, merge-sort them,
 * keep the first `count`, then change exactly those rows on their shards (matched on every column with `<=>`).
 */
async function limitedDml(node: Update | Delete, limited: LimitedDml, vc: ExecCursor, bindVars: BindVars): Promise<Result> {
  const { rss, bindVars: bvs } = await resolveRoute(node, vc, bindVars);
  if (rss.length === 0) return emptyResult();
  const outcomes = await vc.shards.executeMultiShard(rss, rss.map((_, i) => ({ sql: limited.query, bindVars: bvs[i]! })), { isDML: false, canAutocommit: false });
  const results = allOrThrow(outcomes);
  const fields = results.find((r) => r.fields.length > 0)?.fields ?? [];
  const width = fields.length - limited.extras;
  const keys = limited.orderBy.map((o) => ({ col: o.col < 0 ? fields.length + o.col : o.col, desc: o.desc }));
  const all = results.flatMap((r, shard) => r.rows.map((row) => ({ shard, row })));
  all.sort((a, b) => {
    for (const k of keys) {
      const c = compareValues(cellValue(a.row, fields, k.col), cellValue(b.row, fields, k.col));
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
  const count = Number(valueToBigInt(evaluate(limited.count, { bindVars })));
  const kept = all.slice(0, Math.max(0, count));
  const names = fields.slice(0, width).map((f) => quote(f.name));
  const perShard = new Map<number, string[]>();
  const bv: BindVars[] = rss.map((_, i) => ({ ...bvs[i]! }));
  kept.forEach(({ shard, row }, r) => {
    const conds = names.map((n, c) => {
      bv[shard]![`__lm${r}_${c}`] = valueBind(cellValue(row, fields, c));
      return `${n} <=> :__lm${r}_${c}`;
    });
    const list = perShard.get(shard) ?? [];
    list.push(`(${conds.join(" and ")})`);
    perShard.set(shard, list);
  });
  const shards = [...perShard.keys()];
  if (shards.length === 0) return emptyResult();
  const where = limited.where ? `(${limited.where}) and ` : "";
  const dml = await vc.shards.executeMultiShard(shards.map((s) => rss[s]!), shards.map((s) => ({
    sql: `${limited.head} where ${where}(${perShard.get(s)!.join(" or ")}) limit ${perShard.get(s)!.length}`, bindVars: bv[s]!,
  })), { isDML: true, canAutocommit: shards.length === 1 });
  return mergeResults(allOrThrow(dml));
}
