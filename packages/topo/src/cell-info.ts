import { create } from "@bufbuild/protobuf";
import { TopoError } from "@vt/errors";
import { type CellInfo, CellInfoSchema } from "@vt/proto/topodata";
import { createProto, listNames, readProto, updateProtoFields } from "./proto-io.js";
import type { TopoServer } from "./server.js";
import { TopoPaths } from "./topo-paths.js";

/** The CellInfo of `cell` (global `cells/<cell>/CellInfo`). Throws TopoError NoNode for an unknown cell. */
export async function getCellInfo(ts: TopoServer, cell: string): Promise<CellInfo> {
  return (await readProto(ts.globalConn, TopoPaths.cellInfo(cell), CellInfoSchema)).value;
}

/** Names of all cells, sorted ([] when none). */
export function getCellInfoNames(ts: TopoServer): Promise<string[]> {
  return listNames(ts.globalConn, TopoPaths.cellsDir, true);
}

/** Registers a cell. Throws TopoError NodeExists. */
export async function createCellInfo(ts: TopoServer, cell: string, info: Partial<Pick<CellInfo, "serverAddress" | "root">>): Promise<void> {
  await createProto(ts.globalConn, TopoPaths.cellInfo(cell), CellInfoSchema, create(CellInfoSchema, info));
}

/**
 * Read-modify-write of a CellInfo under CAS (created when absent, as Vitess's UpdateCellInfoFields does).
 * `mutate` returns false to skip the write. The cached cell conn is dropped so the next use reconnects.
 */
export async function updateCellInfoFields(ts: TopoServer, cell: string, mutate: (ci: CellInfo) => void | false): Promise<CellInfo> {
  const r = await updateProtoFields(ts.globalConn, TopoPaths.cellInfo(cell), CellInfoSchema, (cur) => {
    const ci = cur ?? create(CellInfoSchema);
    return mutate(ci) === false ? false : ci;
  });
  await ts.dropCellConn(cell);
  return r?.value ?? create(CellInfoSchema);
}

/**
 * Removes a cell's CellInfo. Unless `force`, refuses (TopoError NodeNotEmpty) while the cell still has tablets
 * or serving keyspaces.
 */
export async function deleteCellInfo(ts: TopoServer, cell: string, force = false): Promise<void> {
  if (!force) {
    const conn = await ts.connForCell(cell);
    const busy = (await listNames(conn, TopoPaths.tabletsDir)).length + (await listNames(conn, TopoPaths.keyspacesDir)).length;
    if (busy > 0) throw new TopoError("NodeNotEmpty", TopoPaths.cellInfo(cell), `cell ${cell} is not empty`);
  }
  await ts.dropCellConn(cell);
  await ts.globalConn.delete(TopoPaths.cellInfo(cell), null);
}
