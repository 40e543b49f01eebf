// @vt/vtctld: the Vtctld gRPC service (admin API) over topo and TabletManager calls. main.ts is the process;
// createVtctldService is exported for tests that serve it in-process.
export { createVtctldService } from "./vtctld-service.js";
export { GrpcTabletManagerClient } from "./tablet-manager-client.js";
export { validateVSchema, type VSchemaCheck } from "./validate-vschema.js";
export { alterVSchema } from "./alter-vschema.js";
export { splitStatements } from "./handlers/schema.js";
export type { VtctldDeps, VtctldImpl, TabletManagerClient, TabletManagerClientOf } from "./deps.js";
