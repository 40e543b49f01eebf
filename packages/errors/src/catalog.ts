import { SqlError, type VtCode } from "./sql-error.js";

/** A catalog entry: stable Vitess ID (e.g. VT03007), vtrpc code, MySQL errno/SQLSTATE and message format. */
export interface VtErrorDef {
  readonly id: string;
  readonly code: VtCode;
  readonly errno: number;
  readonly sqlState: string;
  readonly format: string;
  /** Builds the error; `%s`/`%v` placeholders are filled in order from args. */
  (...args: unknown[]): SqlError;
}

/** Defines a catalog entry. Messages are prefixed with the ID, as Vitess does: "VT03007: keyspace not specified". */
export function vtError(id: string, code: VtCode, errno: number, sqlState: string, format: string): VtErrorDef {
  const make = (...args: unknown[]): SqlError => {
    let i = 0;
    const msg = format.replace(/%[sv]/g, () => String(args[i++]));
    return new SqlError(errno, sqlState, `${id}: ${msg}`, code);
  };
  return Object.assign(make, { id, code, errno, sqlState, format });
}

/** The Vitess error catalog entries we raise (IDs and meanings as in vterrors/code.go). */
export const VT = {
  VT03001: vtError("VT03001", "INVALID_ARGUMENT", 1064, "42000", "aggregate functions take a single argument '%s'"),
  VT03007: vtError("VT03007", "INVALID_ARGUMENT", 1046, "3D000", "keyspace not specified"),
  VT03019: vtError("VT03019", "INVALID_ARGUMENT", 1054, "42S22", "column %s not found"),
  VT03021: vtError("VT03021", "INVALID_ARGUMENT", 1052, "23000", "ambiguous column reference: %s"),
  VT05001: vtError("VT05001", "NOT_FOUND", 1049, "42000", "cannot find keyspace %s"),
  VT05003: vtError("VT05003", "NOT_FOUND", 1049, "42000", "unknown database '%s' in vschema"),
  VT05004: vtError("VT05004", "NOT_FOUND", 1146, "42S02", "table '%s' does not exist"),
  VT05005: vtError("VT05005", "NOT_FOUND", 1146, "42S02", "table '%s' does not exist in keyspace '%s'"),
  VT09001: vtError("VT09001", "FAILED_PRECONDITION", 1105, "HY000", "table '%s' does not have a primary vindex"),
  VT09005: vtError("VT09005", "FAILED_PRECONDITION", 1046, "3D000", "no database selected: use keyspace<:shard><@type> or keyspace<[range]><@type> (<> are optional)"),
  VT09015: vtError("VT09015", "FAILED_PRECONDITION", 1105, "HY000", "schema tracking required"),
  VT10001: vtError("VT10001", "ABORTED", 1105, "HY000", "foreign key constraints are not allowed"),
  VT12001: vtError("VT12001", "UNIMPLEMENTED", 1235, "42000", "unsupported: %s"),
  VT13001: vtError("VT13001", "INTERNAL", 1105, "HY000", "[BUG] %s"),
  VT14002: vtError("VT14002", "UNAVAILABLE", 1105, "HY000", "no available connection"),
  VT14003: vtError("VT14003", "UNAVAILABLE", 1105, "HY000", "no connection for tablet %s"),
  VT14004: vtError("VT14004", "UNAVAILABLE", 1105, "HY000", "cannot find keyspace for: %s"),
  VT14005: vtError("VT14005", "UNAVAILABLE", 1105, "HY000", "cannot lookup sidecar database for keyspace: %s"),
} as const;
