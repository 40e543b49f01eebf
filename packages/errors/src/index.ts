// @vt/errors: the typed errors every layer throws, carrying MySQL errno/SQLSTATE and a Vitess vtrpc code.
// Mapping to wire forms happens only at the edges: vtgate's MySQL server turns a SqlError into an ERR packet,
// the rpc adapter turns it into a gRPC status (and back, keeping errno/SQLSTATE in metadata).
export { SqlError, isSqlError, type VtCode, VT_CODES } from "./sql-error.js";
export { ER, SS } from "./codes.js";
export { vtError, VT, type VtErrorDef } from "./catalog.js";
export { TopoError, isTopoError, type TopoErrorCode } from "./topo-error.js";
