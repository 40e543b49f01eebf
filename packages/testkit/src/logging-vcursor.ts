// The engine's logging fake VCursor (every role call recorded as a line such as
// `ExecuteMultiShard commerce.-80: select ... {}`), re-exported for other packages' tests.
export { LoggingVCursor, type FakeShardResults } from "@vt/engine";
