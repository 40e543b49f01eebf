import { SqlError } from "@vt/errors";
import { EtcdTopoConn } from "./etcd/etcd-topo-conn.js";
import { MemoryTopoFactory } from "./memory/memory-topo-factory.js";
import { TopoServer } from "./server.js";

/** The apps' topo flags (`--topo_implementation`, `--topo_global_server_address`, `--topo_global_root`). */
export interface TopoFlags {
  readonly implementation: "etcd2" | "memory";
  /** etcd endpoints, comma-separated; ignored by `memory`. */
  readonly globalServerAddress: string;
  /** Default `/vitess/global`. */
  readonly globalRoot?: string;
  /** For `memory`: the factory to share (default: a fresh one). */
  readonly memoryFactory?: MemoryTopoFactory;
}

/**
 * Opens a TopoServer from the topo flags. etcd2: one etcd3 client for the global root and one per cell, from
 * each cell's CellInfo (server_address, root). memory: conns on one in-process store. Throws SqlError
 * INVALID_ARGUMENT for an unknown implementation.
 */
export function openTopoServer(flags: TopoFlags): TopoServer {
  const root = flags.globalRoot ?? "/vitess/global";
  if (flags.implementation === "etcd2") {
    return new TopoServer({
      globalConn: new EtcdTopoConn({ serverAddress: flags.globalServerAddress, root }),
      cellConnFactory: (_cell, info) => new EtcdTopoConn({ serverAddress: info.serverAddress || flags.globalServerAddress, root: info.root }),
    });
  }
  if (flags.implementation === "memory") {
    const f = flags.memoryFactory ?? new MemoryTopoFactory();
    return new TopoServer({ globalConn: f.conn(root), cellConnFactory: (_cell, info) => f.conn(info.root) });
  }
  throw new SqlError(1105, "HY000", `unknown topo implementation: ${String(flags.implementation)}`, "INVALID_ARGUMENT");
}

/**
 * A memory TopoServer with `cells` registered (roots `/vitess/<cell>`), like Vitess's memorytopo.NewServer.
 * Returns the factory too, for injectError in failure tests.
 */
export async function newMemoryTopoServer(...cells: string[]): Promise<{ ts: TopoServer; factory: MemoryTopoFactory }> {
  const factory = new MemoryTopoFactory();
  const ts = openTopoServer({ implementation: "memory", globalServerAddress: "", memoryFactory: factory });
  for (const cell of cells) await ts.createCellInfo(cell, { serverAddress: "memory", root: `/vitess/${cell}` });
  return { ts, factory };
}
