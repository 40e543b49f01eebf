// Helpers for vindex unit tests (not exported from the package).
import { Type, type Value, int64Value, nullValue, uint64Value, valueFromString, varcharValue } from "@vt/sqltypes";
import type { VindexDestination } from "./vschema-types.js";

export const I = (n: bigint | number): Value => int64Value(n);
export const U = (n: bigint | number): Value => uint64Value(n);
export const S = (s: string): Value => varcharValue(s);
export const B = (s: string): Value => valueFromString(Type.VARBINARY, s);
export const N = (): Value => nullValue();
export const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, "hex"));

/** A destination as a short string: hex ksid, "None", "[start-end]" or a list. */
export function show(d: VindexDestination): string {
  const h = (b: Uint8Array) => Buffer.from(b).toString("hex");
  switch (d.kind) {
    case "KeyspaceId": return h(d.ksid);
    case "KeyspaceIds": return d.ksids.map(h).join(",");
    case "KeyRange": return `[${h(d.start)}-${h(d.end)}]`;
    case "None": return "None";
  }
}
