import { create } from "@bufbuild/protobuf";
import { TopoError } from "@vt/errors";
import { type CellsAlias, CellsAliasSchema } from "@vt/proto/topodata";
import { createProto, listNames, readProto, updateProtoFields } from "./proto-io.js";
import type { TopoServer } from "./server.js";
import { TopoPaths } from "./topo-paths.js";

/** Every cells alias (global `cells_aliases/<name>/CellsAlias`), by name. */
export async function getCellsAliases(ts: TopoServer): Promise<Record<string, CellsAlias>> {
  const out: Record<string, CellsAlias> = {};
  for (const name of await listNames(ts.globalConn, TopoPaths.cellsAliasesDir, true)) {
    out[name] = (await readProto(ts.globalConn, TopoPaths.cellsAlias(name), CellsAliasSchema)).value;
  }
  return out;
}

/** Throws TopoError NodeExists when a cell of `cells` already belongs to another alias than `except` (Vitess's rule). */
async function checkOverlap(ts: TopoServer, cells: readonly string[], except: string): Promise<void> {
  for (const [name, a] of Object.entries(await getCellsAliases(ts))) {
    if (name === except) continue;
    const shared = a.cells.filter((c) => cells.includes(c));
    if (shared.length > 0) {
      throw new TopoError("NodeExists", TopoPaths.cellsAlias(name), `cells [${shared.join(" ")}] are already in alias ${name}; a cell can only be in one alias`);
    }
  }
}

/** Creates a cells alias. Throws TopoError NodeExists (alias exists, or a cell is in another alias). */
export async function createCellsAlias(ts: TopoServer, name: string, cells: readonly string[]): Promise<void> {
  await checkOverlap(ts, cells, name);
  await createProto(ts.globalConn, TopoPaths.cellsAlias(name), CellsAliasSchema, create(CellsAliasSchema, { cells: [...cells] }));
}

/** Read-modify-write of a cells alias (created when absent), checking that no cell ends up in two aliases. */
export async function updateCellsAliasFields(ts: TopoServer, name: string, mutate: (a: CellsAlias) => void | false): Promise<CellsAlias> {
  const r = await updateProtoFields(ts.globalConn, TopoPaths.cellsAlias(name), CellsAliasSchema, (cur) => {
    const a = cur ?? create(CellsAliasSchema);
    return mutate(a) === false ? false : a;
  });
  const value = r?.value ?? create(CellsAliasSchema);
  await checkOverlap(ts, value.cells, name);
  return value;
}

/** Deletes a cells alias. Throws TopoError NoNode. */
export async function deleteCellsAlias(ts: TopoServer, name: string): Promise<void> {
  await ts.globalConn.delete(TopoPaths.cellsAlias(name), null);
}
