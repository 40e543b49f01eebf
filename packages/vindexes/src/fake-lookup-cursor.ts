// A LookupCursor for tests: records each query as a line and answers from a queue or a responder function.
import { SqlError } from "@vt/errors";
import { type BindVariable, type Result, Type, makeField } from "@vt/sqltypes";
import type { LookupCursor } from "./vschema-types.js";

const dec = new TextDecoder();

function showBindVar(bv: BindVariable): string {
  if (bv.type === Type.TUPLE) return `(${bv.values.map((v) => dec.decode(v.value)).join(",")})`;
  if (bv.type === Type.VARBINARY) return `0x${Buffer.from(bv.value).toString("hex")}`;
  if (bv.type === Type.NULL_TYPE) return "NULL";
  return dec.decode(bv.value);
}

/** Result with VARBINARY columns from string/hex rows (strings starting with 0x are hex). */
export function rowsResult(rows: (string | null)[][]): Result {
  const width = rows[0]?.length ?? 2;
  return {
    fields: Array.from({ length: width }, (_, i) => makeField(`c${i}`, Type.VARBINARY)),
    rows: rows.map((r) => r.map((c) => (c === null ? null : c.startsWith("0x") ? Uint8Array.from(Buffer.from(c.slice(2), "hex")) : new TextEncoder().encode(c)))),
    rowsAffected: 0n, insertId: 0n, info: "",
  };
}

/** Records `execute` calls as `sql {name: value, ...} [opts]` lines. */
export class FakeLookupCursor implements LookupCursor {
  readonly log: string[] = [];
  inTx = false;
  constructor(readonly respond: (sql: string, bv: Record<string, BindVariable>) => Result | SqlError = () => rowsResult([])) {}

  #record(prefix: string, sql: string, bindVars: Record<string, BindVariable>, opts: object): Result {
    const bv = Object.keys(bindVars).sort().map((k) => `${k}: ${showBindVar(bindVars[k]!)}`).join(", ");
    const o = Object.entries(opts).filter(([, v]) => v !== undefined && v !== false).map(([k, v]) => (v === true ? k : `${k}=${String(v)}`)).join(" ");
    this.log.push(`${prefix}${sql} {${bv}}${o ? ` [${o}]` : ""}`);
    const r = this.respond(sql, bindVars);
    if (r instanceof SqlError) throw r;
    return r;
  }

  async execute(sql: string, bindVars: Record<string, BindVariable>, opts: object): Promise<Result> {
    return this.#record("", sql, bindVars, opts);
  }

  inTransactionAndIsDML(): boolean {
    return this.inTx;
  }

  async executeKeyspaceId(keyspace: string, ksid: Uint8Array, sql: string, bindVars: Record<string, BindVariable>, opts: object): Promise<Result> {
    return this.#record(`${keyspace}[${Buffer.from(ksid).toString("hex")}] `, sql, bindVars, opts);
  }
}
