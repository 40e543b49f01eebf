import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CellInfo, Keyspace, KeyspaceSchema, Shard, SrvKeyspace, Tablet, TabletAlias } from "@vt/proto/topodata";
import type { Keyspace as VSchemaKeyspace, RoutingRules, ShardRoutingRules, SrvVSchema } from "@vt/proto/vschema";
import * as cells from "./cell-info.js";
import * as keyspaces from "./keyspace.js";
import * as locks from "./locks.js";
import * as graph from "./rebuild-keyspace-graph.js";
import * as vgraph from "./rebuild-vschema-graph.js";
import * as rules from "./routing-rules.js";
import * as repl from "./shard-replication.js";
import * as shards from "./shard.js";
import * as srvks from "./srv-keyspace.js";
import * as srvvs from "./srv-vschema.js";
import * as tablets from "./tablet.js";
import type { LockDescriptor, LockOptions, TopoConn, Version } from "./topo-conn.js";
import * as vschemas from "./vschema.js";
import type { ProtoWatch } from "./watch-proto.js";
import type { FollowOptions } from "./follow-node.js";
import { getCellInfo } from "./cell-info.js";

/** Opens the conn of one cell from its CellInfo (server address + root). */
export type CellConnFactory = (cell: string, info: CellInfo) => TopoConn | Promise<TopoConn>;

/** Options for {@link TopoServer}. */
export interface TopoServerOptions {
  /** The conn on the global root. */
  readonly globalConn: TopoConn;
  /** Opens a cell's conn; called once per cell, on first use. */
  readonly cellConnFactory: CellConnFactory;
  /** Defaults for keyspace/shard/named locks (TTL 30 s, wait 45 s unless set). */
  readonly lockOptions?: LockOptions;
}

/**
 * Vitess's topo.Server: domain methods over a global TopoConn and per-cell TopoConns, storing protobuf records at
 * Vitess's paths. Each method's contract is documented on the function of the same name in its entity file
 * (cell-info.ts, keyspace.ts, shard.ts, tablet.ts, shard-replication.ts, srv-keyspace.ts, vschema.ts,
 * srv-vschema.ts, routing-rules.ts, locks.ts). Errors are TopoError (NoNode, NodeExists, BadVersion, ...).
 */
export class TopoServer {
  readonly globalConn: TopoConn;
  readonly lockOptions: LockOptions;
  private readonly cellConnFactory: CellConnFactory;
  private readonly cellConns = new Map<string, Promise<TopoConn>>();

  constructor(opts: TopoServerOptions) {
    this.globalConn = opts.globalConn;
    this.cellConnFactory = opts.cellConnFactory;
    this.lockOptions = opts.lockOptions ?? {};
  }

  /** The conn of `cell` ("global" gives the global conn). Throws TopoError NoNode for an unknown cell. */
  connForCell(cell: string): Promise<TopoConn> {
    if (cell === "global") return Promise.resolve(this.globalConn);
    let p = this.cellConns.get(cell);
    if (p === undefined) {
      p = getCellInfo(this, cell).then((info) => this.cellConnFactory(cell, info));
      p.catch(() => this.cellConns.delete(cell));
      this.cellConns.set(cell, p);
    }
    return p;
  }

  /** Closes and forgets a cell's cached conn (after its CellInfo changed). */
  async dropCellConn(cell: string): Promise<void> {
    const p = this.cellConns.get(cell);
    this.cellConns.delete(cell);
    if (p !== undefined) await p.then((c) => c.close(), () => {});
  }

  /** Closes every cell conn, then the global conn. */
  async close(): Promise<void> {
    for (const cell of [...this.cellConns.keys()]) await this.dropCellConn(cell);
    await this.globalConn.close();
  }

  // cells
  getCellInfo(cell: string): Promise<CellInfo> { return cells.getCellInfo(this, cell); }
  getCellInfoNames(): Promise<string[]> { return cells.getCellInfoNames(this); }
  createCellInfo(cell: string, info: Partial<Pick<CellInfo, "serverAddress" | "root">>): Promise<void> { return cells.createCellInfo(this, cell, info); }
  updateCellInfoFields(cell: string, mutate: (ci: CellInfo) => void | false): Promise<CellInfo> { return cells.updateCellInfoFields(this, cell, mutate); }
  deleteCellInfo(cell: string, force = false): Promise<void> { return cells.deleteCellInfo(this, cell, force); }

  // keyspaces
  createKeyspace(name: string, ks: MessageInitShape<typeof KeyspaceSchema> = {}): Promise<void> { return keyspaces.createKeyspace(this, name, ks); }
  getKeyspace(name: string): Promise<keyspaces.KeyspaceInfo> { return keyspaces.getKeyspace(this, name); }
  updateKeyspace(name: string, ks: Keyspace, version: Version | null): Promise<Version> { return keyspaces.updateKeyspace(this, name, ks, version); }
  deleteKeyspace(name: string, recursive = false): Promise<void> { return keyspaces.deleteKeyspace(this, name, recursive); }
  getKeyspaceNames(): Promise<string[]> { return keyspaces.getKeyspaceNames(this); }

  // shards
  createShard(ks: string, shard: string): Promise<shards.ShardInfo> { return shards.createShard(this, ks, shard); }
  getShard(ks: string, shard: string): Promise<shards.ShardInfo> { return shards.getShard(this, ks, shard); }
  updateShardFields(ks: string, shard: string, mutate: (s: Shard) => void | false): Promise<shards.ShardInfo> { return shards.updateShardFields(this, ks, shard, mutate); }
  deleteShard(ks: string, shard: string): Promise<void> { return shards.deleteShard(this, ks, shard); }
  getShardNames(ks: string): Promise<string[]> { return shards.getShardNames(this, ks); }
  findAllShardsInKeyspace(ks: string): Promise<shards.ShardInfo[]> { return shards.findAllShardsInKeyspace(this, ks); }

  // tablets
  createTablet(tablet: Tablet): Promise<Version> { return tablets.createTablet(this, tablet); }
  createOrUpdateTablet(tablet: Tablet): Promise<Version> { return tablets.createOrUpdateTablet(this, tablet); }
  getTablet(alias: TabletAlias): Promise<tablets.TabletInfo> { return tablets.getTablet(this, alias); }
  updateTablet(tablet: Tablet, version: Version | null): Promise<Version> { return tablets.updateTablet(this, tablet, version); }
  updateTabletFields(alias: TabletAlias, mutate: (t: Tablet) => void | false): Promise<tablets.TabletInfo> { return tablets.updateTabletFields(this, alias, mutate); }
  deleteTablet(alias: TabletAlias): Promise<void> { return tablets.deleteTablet(this, alias); }
  getTabletAliasesByCell(cell: string): Promise<TabletAlias[]> { return tablets.getTabletAliasesByCell(this, cell); }
  getTabletsByCell(cell: string): Promise<Tablet[]> { return tablets.getTabletsByCell(this, cell); }
  getTabletsByShard(ks: string, shard: string, cellList?: string[]): Promise<Tablet[]> { return tablets.getTabletsByShard(this, ks, shard, cellList); }
  getTabletMap(aliases: TabletAlias[]): Promise<Tablet[]> { return tablets.getTabletMap(this, aliases); }

  // shard replication
  getShardReplication(cell: string, ks: string, shard: string) { return repl.getShardReplication(this, cell, ks, shard); }
  addShardReplicationRecord(ks: string, shard: string, alias: TabletAlias): Promise<void> { return repl.addShardReplicationRecord(this, ks, shard, alias); }
  removeShardReplicationRecord(cell: string, ks: string, shard: string, alias: TabletAlias): Promise<void> { return repl.removeShardReplicationRecord(this, cell, ks, shard, alias); }

  // serving graph
  getSrvKeyspace(cell: string, ks: string): Promise<SrvKeyspace> { return srvks.getSrvKeyspace(this, cell, ks); }
  updateSrvKeyspace(cell: string, ks: string, srv: SrvKeyspace): Promise<void> { return srvks.updateSrvKeyspace(this, cell, ks, srv); }
  deleteSrvKeyspace(cell: string, ks: string): Promise<void> { return srvks.deleteSrvKeyspace(this, cell, ks); }
  getSrvKeyspaceNames(cell: string): Promise<string[]> { return srvks.getSrvKeyspaceNames(this, cell); }
  watchSrvKeyspace(cell: string, ks: string): Promise<ProtoWatch<SrvKeyspace>> { return srvks.watchSrvKeyspace(this, cell, ks); }
  followSrvKeyspace(cell: string, ks: string, opts?: FollowOptions): AsyncIterable<SrvKeyspace | null> { return srvks.followSrvKeyspace(this, cell, ks, opts); }
  followSrvVSchema(cell: string, opts?: FollowOptions): AsyncIterable<SrvVSchema | null> { return srvvs.followSrvVSchema(this, cell, opts); }
  getSrvVSchema(cell: string): Promise<SrvVSchema> { return srvvs.getSrvVSchema(this, cell); }
  updateSrvVSchema(cell: string, srv: SrvVSchema): Promise<void> { return srvvs.updateSrvVSchema(this, cell, srv); }
  watchSrvVSchema(cell: string): Promise<ProtoWatch<SrvVSchema>> { return srvvs.watchSrvVSchema(this, cell); }
  rebuildKeyspaceGraph(ks: string, cellList?: readonly string[]): Promise<SrvKeyspace> { return graph.rebuildKeyspaceGraph(this, ks, cellList); }
  rebuildVSchemaGraph(cellList?: readonly string[]): Promise<SrvVSchema> { return vgraph.rebuildVSchemaGraph(this, cellList); }

  // vschema and rules
  saveVSchema(ks: string, vschema: VSchemaKeyspace): Promise<void> { return vschemas.saveVSchema(this, ks, vschema); }
  getVSchema(ks: string): Promise<VSchemaKeyspace> { return vschemas.getVSchema(this, ks); }
  deleteVSchema(ks: string): Promise<void> { return vschemas.deleteVSchema(this, ks); }
  getRoutingRules(): Promise<RoutingRules> { return rules.getRoutingRules(this); }
  saveRoutingRules(r: RoutingRules): Promise<void> { return rules.saveRoutingRules(this, r); }
  getShardRoutingRules(): Promise<ShardRoutingRules> { return rules.getShardRoutingRules(this); }
  saveShardRoutingRules(r: ShardRoutingRules): Promise<void> { return rules.saveShardRoutingRules(this, r); }

  // locks
  lockKeyspace<T>(ks: string, action: string, fn: (lock: LockDescriptor) => Promise<T>): Promise<T> { return locks.lockKeyspace(this, ks, action, fn); }
  lockShard<T>(ks: string, shard: string, action: string, fn: (lock: LockDescriptor) => Promise<T>): Promise<T> { return locks.lockShard(this, ks, shard, action, fn); }
  lockName<T>(name: string, action: string, fn: (lock: LockDescriptor) => Promise<T>): Promise<T> { return locks.lockName(this, name, action, fn); }
}
