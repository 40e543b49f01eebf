import { SqlError } from "@vt/errors";
import { Type, type BindVariable, type Result } from "@vt/sqltypes";
import type { DbConn } from "./db-conn.js";
import { quoteIdent, rowsAsObjects } from "./result-rows.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * `select next N values from seq` as the planner sends it for a Next route: count as a literal or a bind variable
 * (`:n`), table plain, backticked or keyspace-qualified. Matched on the whole text, case-insensitively.
 */
const NEXT_RE = /^\s*select\s+next\s+(?:(\d+)|:([A-Za-z_][\w]*))\s+values?\s+from\s+(?:`[^`]+`\.|[A-Za-z_][\w$]*\.)?(`[^`]+`|[A-Za-z_][\w$]*)\s*;?\s*$/i;

/** A parsed `select next N values from seq`. */
export interface NextValRequest {
  readonly table: string;
  readonly count: bigint;
}

/**
 * Recognises a sequence query; returns null for any other text (cheap: a prefix check runs before the regex).
 * Throws INVALID_ARGUMENT for a missing or non-positive count.
 */
export function parseNextVal(sql: string, bindVars: Readonly<Record<string, BindVariable>>): NextValRequest | null {
  // Cheap pre-check on the hot path: "select next" has an 'n' at index 7 unless the text starts with blanks.
  const c0 = sql.charCodeAt(0);
  if (c0 > 32 && (sql.charCodeAt(7) | 32) !== 110) return null;
  if (!/^\s*select\s+next\s/i.test(sql)) return null;
  const m = NEXT_RE.exec(sql);
  if (m === null) return null;
  let countText = m[1];
  if (countText === undefined) {
    const bv = bindVars[m[2]!];
    if (bv === undefined) throw new SqlError(1105, "HY000", `missing bind var ${m[2]}`, "INVALID_ARGUMENT");
    countText = dec.decode(bv.value);
  }
  if (!/^\d+$/.test(countText) || BigInt(countText) < 1n) {
    throw new SqlError(1105, "HY000", `invalid increment for sequence: ${countText}`, "INVALID_ARGUMENT");
  }
  const raw = m[3]!;
  const table = raw.startsWith("`") ? raw.slice(1, -1).replace(/``/g, "`") : raw;
  return { table, count: BigInt(countText) };
}

interface SeqState {
  /** Next id to hand out; ids in [next, last) are reserved in the table and not yet handed out. */
  next: bigint;
  last: bigint;
  /** Tail of the per-table queue: one caller at a time per sequence. */
  tail: Promise<unknown>;
}

/**
 * Vitess's tablet-side sequence cache: per sequence table, a block of reserved ids [next, last) in memory. When a
 * request does not fit, one transaction locks the row (`select next_id, cache ... where id = 0 for update`), moves
 * `next_id` forward by whole blocks of `cache` until the request fits, and commits; ids are then handed out from
 * memory. Callers of one table are serialized, so ids are unique across concurrent callers; after a restart the
 * cache is empty and the table's next_id is past every id handed out, so ids stay unique across restarts (ids still
 * cached at shutdown are skipped, as in Vitess).
 */
export class SequenceCache {
  private readonly states = new Map<string, SeqState>();

  /** `withConn` lends a connection (of the query pool) for the refill transaction. */
  constructor(private readonly withConn: <T>(fn: (c: DbConn) => Promise<T>) => Promise<T>) {}

  /**
   * Reserves `count` ids of sequence `table` and returns the first. Throws MariaDB's SqlError (e.g. 1146 for a
   * missing table, 1290 on a read-only replica) or INVALID_ARGUMENT for a bad sequence row.
   */
  next(table: string, count: bigint): Promise<bigint> {
    let s = this.states.get(table);
    if (s === undefined) {
      s = { next: 0n, last: 0n, tail: Promise.resolve() };
      this.states.set(table, s);
    }
    const st = s;
    const run = st.tail.then(() => this.take(table, st, count));
    st.tail = run.catch(() => undefined);
    return run;
  }

  /** The answer to `select next N values from seq`: one row, one INT64 column `nextval`. */
  async execute(req: NextValRequest): Promise<Result> {
    const first = await this.next(req.table, req.count);
    return {
      fields: [{ name: "nextval", type: Type.INT64, table: "", orgTable: "", database: "", orgName: "", columnLength: 20,
        charset: 63, decimals: 0, flags: 32897, columnType: "" }], rows: [[enc.encode(first.toString())]],
      rowsAffected: 0n, insertId: 0n, info: "",
    };
  }

  /** Forgets cached ids (e.g. when the tablet stops being primary). */
  reset(): void {
    this.states.clear();
  }

  private async take(table: string, s: SeqState, count: bigint): Promise<bigint> {
    if (s.next === 0n || s.next + count > s.last) await this.refill(table, s, count);
    const first = s.next;
    s.next += count;
    return first;
  }

  private refill(table: string, s: SeqState, count: bigint): Promise<void> {
    const t = quoteIdent(table);
    return this.withConn(async (c) => {
      await c.query("begin");
      try {
        const results = await c.query(`select next_id, cache from ${t} where id = 0 for update`);
        const row = results[0] ? rowsAsObjects(results[0])[0] : undefined;
        if (row === undefined || row["next_id"] == null || row["cache"] == null) {
          throw new SqlError(1105, "HY000", `sequence table ${table} has no row with id 0`, "INVALID_ARGUMENT");
        }
        let nextId = BigInt(row["next_id"]);
        const cache = BigInt(row["cache"]);
        if (cache < 1n) throw new SqlError(1105, "HY000", `invalid cache value for sequence ${table}: ${cache}`, "INVALID_ARGUMENT");
        // Ids left in memory are usable only if the table still ends where our block ends.
        if (nextId !== s.last) {
          if (nextId < s.last) nextId = s.last;
          s.next = nextId;
          s.last = nextId;
        }
        const need = s.next + count - s.last;
        const blocks = need <= 0n ? 1n : (need + cache - 1n) / cache;
        const newLast = s.last + blocks * cache;
        await c.query(`update ${t} set next_id = ${newLast} where id = 0`);
        await c.query("commit");
        s.last = newLast;
      } catch (e) {
        await c.query("rollback").catch(() => undefined);
        throw e;
      }
    });
  }
}
