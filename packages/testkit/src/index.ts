// @vt/testkit
export {};
export { LoggingVCursor, type FakeShardResults } from "./logging-vcursor.js";
