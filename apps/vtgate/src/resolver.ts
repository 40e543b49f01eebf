import type { DestinationResolver, ResolvedShard } from "@vt/engine";
import { VT } from "@vt/errors";
import { resolveDestination, type Destination, type ShardRef } from "@vt/key";
import type { SrvTopo } from "./srv-topo.js";

export const TABLET_TYPE_NUMBER: Record<string, number> = { PRIMARY: 1, REPLICA: 2, RDONLY: 3 };

/**
 * Resolves destinations to shards from the cell's SrvKeyspace (Vitess's srvtopo Resolver): the partition for the
 * requested tablet type, falling back to the PRIMARY partition. Throws VT05001-style 1049 for unknown keyspaces.
 */
export class SrvKeyspaceResolver implements DestinationResolver {
  constructor(private readonly srv: SrvTopo) {}

  /** The serving shards of a keyspace for a tablet type, in key-range order. */
  shards(keyspace: string, tabletType: string): ShardRef[] {
    const srvKs = this.srv.srvKeyspace(keyspace);
    if (srvKs === undefined) throw VT.VT05001(keyspace);
    const want = TABLET_TYPE_NUMBER[tabletType] ?? 1;
    const part = srvKs.partitions.find((p) => p.servedType === want) ?? srvKs.partitions.find((p) => p.servedType === 1);
    return (part?.shardReferences ?? []).map((r) => ({ name: r.name, keyRange: r.keyRange ?? null }));
  }

  async resolve(keyspace: string, tabletType: string, destinations: readonly Destination[]): Promise<ResolvedShard[][]> {
    const shards = this.shards(keyspace, tabletType);
    return destinations.map((d) => resolveDestination(d, shards).map((shard) => ({ keyspace, shard, tabletType })));
  }
}
