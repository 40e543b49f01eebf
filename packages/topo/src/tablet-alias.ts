import { create } from "@bufbuild/protobuf";
import { SqlError } from "@vt/errors";
import { type TabletAlias, TabletAliasSchema } from "@vt/proto/topodata";

/** `{cell: "zone1", uid: 100}` → `"zone1-0000000100"` (Vitess's `%v-%010d`). */
export function tabletAliasString(alias: { readonly cell: string; readonly uid: number }): string {
  return `${alias.cell}-${String(alias.uid).padStart(10, "0")}`;
}

/**
 * `"zone1-0000000100"` (or `"zone1-100"`) → TabletAlias. The cell is everything before the last `-`.
 * Throws SqlError INVALID_ARGUMENT when there is no `-` or the uid is not a non-negative 32-bit integer.
 */
export function parseTabletAlias(text: string): TabletAlias {
  const i = text.lastIndexOf("-");
  const uidText = i < 0 ? "" : text.slice(i + 1);
  const uid = Number(uidText);
  if (i <= 0 || !/^\d+$/.test(uidText) || uid > 0xffffffff) {
    throw new SqlError(1105, "HY000", `invalid tablet alias: '${text}', expecting format: '<cell>-<uid>'`, "INVALID_ARGUMENT");
  }
  return create(TabletAliasSchema, { cell: text.slice(0, i), uid });
}

/** Whether two aliases name the same tablet. */
export function tabletAliasEqual(a: { cell: string; uid: number } | undefined, b: { cell: string; uid: number } | undefined): boolean {
  return a !== undefined && b !== undefined && a.cell === b.cell && a.uid === b.uid;
}
