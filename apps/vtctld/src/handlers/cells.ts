import { createCellInfo, getCellInfo, getCellInfoNames } from "@vt/topo";
import { vtErr, type VtctldDeps, type VtctldImpl } from "../deps.js";

/** AddCellInfo, GetCellInfo, GetCellInfoNames. */
export function cellHandlers({ ts }: VtctldDeps): VtctldImpl {
  return {
    async addCellInfo(req) {
      if (req.name === "") throw vtErr("INVALID_ARGUMENT", "cell name is required");
      await createCellInfo(ts, req.name, { serverAddress: req.cellInfo?.serverAddress ?? "", root: req.cellInfo?.root ?? "" });
      return {};
    },
    async getCellInfo(req) {
      if (req.cell === "") throw vtErr("INVALID_ARGUMENT", "cell field is required");
      return { cellInfo: await getCellInfo(ts, req.cell) };
    },
    async getCellInfoNames() {
      return { names: await getCellInfoNames(ts) };
    },
  };
}
