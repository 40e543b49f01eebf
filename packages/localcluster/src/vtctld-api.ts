/**
 * The few vtctld calls the launcher makes while bootstrapping a cluster. Each "create" call treats
 * "already exists" as success so that a second `npm start` on the same data is a no-op.
 */
export interface VtctldApi {
  addCellInfo(cell: string, serverAddress: string, root: string): Promise<void>;
  createKeyspace(keyspace: string): Promise<void>;
  createShard(keyspace: string, shard: string): Promise<void>;
  rebuildKeyspaceGraph(keyspace: string, cells: readonly string[]): Promise<void>;
  /** Runs DDL on every shard's primary; throws if any shard fails. */
  applySchema(keyspace: string, sql: readonly string[]): Promise<void>;
  /** Stores a VSchema given as Vitess JSON (validated by vtctld) and rebuilds SrvVSchema. */
  applyVSchema(keyspace: string, vschemaJson: string): Promise<void>;
  /** True if the keyspace has a VSchema stored in topo. */
  hasVSchema(keyspace: string): Promise<boolean>;
  close(): void;
}

/** Opens a VtctldApi to vtctld's gRPC address (`127.0.0.1:15999`). */
export type VtctldApiFactory = (addr: string) => Promise<VtctldApi>;

/** Splits a schema file into statements on `;` at line ends (comments and blank statements dropped). */
export function splitSql(text: string): string[] {
  const noComments = text.replace(/^\s*--.*$/gm, "");
  return noComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
