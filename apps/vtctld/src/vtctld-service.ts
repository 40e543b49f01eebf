import type { VtctldDeps, VtctldImpl } from "./deps.js";
import { cellHandlers } from "./handlers/cells.js";
import { extraHandlers } from "./handlers/extra.js";
import { moreHandlers } from "./handlers/more.js";
import { reparentHandlers } from "./handlers/reparent.js";
import { keyspaceHandlers } from "./handlers/keyspaces.js";
import { schemaHandlers } from "./handlers/schema.js";
import { shardHandlers } from "./handlers/shards.js";
import { tabletHandlers } from "./handlers/tablets.js";
import { validateHandlers } from "./handlers/validate.js";
import { vschemaHandlers } from "./handlers/vschema.js";

/** The Vtctld gRPC service implementation over topo and TabletManager clients. */
export function createVtctldService(deps: VtctldDeps): VtctldImpl {
  return {
    ...cellHandlers(deps), ...keyspaceHandlers(deps), ...shardHandlers(deps), ...tabletHandlers(deps),
    ...schemaHandlers(deps), ...vschemaHandlers(deps), ...validateHandlers(deps), ...moreHandlers(deps), ...reparentHandlers(deps), ...extraHandlers(deps),
  };
}
