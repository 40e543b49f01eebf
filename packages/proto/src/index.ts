// @vt/proto: protobuf-es code generated from /proto (run `pnpm --filter @vt/proto generate`).
// Import generated modules by subpath, one per proto file: `@vt/proto/query`, `@vt/proto/topodata`, ...
// (no barrel here: message names repeat across files).
export {};
