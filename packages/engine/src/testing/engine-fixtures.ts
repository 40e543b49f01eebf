// Shared fixtures of the engine's unit tests: a sharded `commerce` keyspace with a hash vindex over shards -80/80-,
// result rows from strings, and rows back to strings.
import type { Result } from "@vt/sqltypes";
import { defaultVindexRegistry, type KeyspaceSchema, type VSchema } from "@vt/vindexes";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The keyspace the fixtures route to. */
export const COMMERCE = { name: "commerce", sharded: true } as const;

/** A VSchema with keyspace `commerce` (sharded, vindex `hash`) and no tables. */
export function hashVSchema(): VSchema {
  const hash = defaultVindexRegistry().create("hash", "hash");
  const ks: KeyspaceSchema = { keyspace: COMMERCE, tables: new Map(), vindexes: new Map([["hash", hash]]), requireExplicitRouting: false };
  return { keyspaces: new Map([["commerce", ks]]), globalTables: new Map(), routingRules: new Map() };
}

/** The row part of a Result from text values (null = SQL NULL). */
export function rowsOf(rows: readonly (readonly (string | null)[])[]): Omit<Result, "fields"> {
  return { rows: rows.map((r) => r.map((v) => (v === null ? null : enc.encode(v)))), rowsAffected: 0n, insertId: 0n, info: "" };
}

/** A Result's rows as text (null = SQL NULL). */
export const textRows = (r: Result): (string | null)[][] => r.rows.map((row) => row.map((c) => (c === null ? null : dec.decode(c))));
