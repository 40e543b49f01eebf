// @vt/mysql-protocol/testing: helpers for protocol-level tests in this and other packages (e2e tests of vtgate):
// a byte-level client that exposes every packet, and a handler answering canned results.
export { RawClient, RAW_CLIENT_CAPS } from "./raw-client.js";
export { CannedHandler, cannedFields, cannedRows } from "./canned-handler.js";
