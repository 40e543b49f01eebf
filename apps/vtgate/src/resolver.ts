import type { DestinationResolver, ResolvedShard } from "@vt/engine";
import { VT } from "@vt/errors";
import { resolveDestination, type Destination, type ShardRef } from "@vt/key";
import type { SrvKeyspace } from "@vt/proto/topodata";
import type { SrvTopo } from "./srv-topo.js";

/** A keyspace's serving shards for one tablet type, and one shared single-shard answer per shard name. */
interface ShardView {
  readonly refs: readonly ShardRef[];
  readonly one: ReadonlyMap<string, readonly ResolvedShard[]>;
}

export const TABLET_TYPE_NUMBER: Record<string, number> = { PRIMARY: 1, REPLICA: 2, RDONLY: 3 };

/**
 * Resolves destinations to shards from the cell's SrvKeyspace (Vitess's srvtopo Resolver): the partition for the
 * requested tablet type, falling back to the PRIMARY partition. Throws VT05001-style 1049 for unknown keyspaces.
 */
export class SrvKeyspaceResolver implements DestinationResolver {
  /** Views derived from each SrvKeyspace record (a topo change brings a new record, so a new view). */
  private readonly views = new WeakMap<SrvKeyspace, Map<string, ShardView>>();

  constructor(private readonly srv: SrvTopo) {}

  /** The serving shards of a keyspace for a tablet type, in key-range order. */
  shards(keyspace: string, tabletType: string): ShardRef[] {
    return [...this.view(keyspace, tabletType).refs];
  }

  async resolve(keyspace: string, tabletType: string, destinations: readonly Destination[]): Promise<ResolvedShard[][]> {
    const shards = this.view(keyspace, tabletType).refs;
    return destinations.map((d) => resolveDestination(d, shards).map((shard) => ({ keyspace, shard, tabletType })));
  }

  /** One destination, synchronously; a keyspace id gets a cached (shared, frozen) answer. */
  resolveOne(keyspace: string, tabletType: string, d: Destination): readonly ResolvedShard[] {
    const v = this.view(keyspace, tabletType);
    const names = resolveDestination(d, v.refs);
    if (names.length === 1) {
      const hit = v.one.get(names[0]!);
      if (hit !== undefined) return hit;
    }
    return names.map((shard) => ({ keyspace, shard, tabletType }));
  }

  private view(keyspace: string, tabletType: string): ShardView {
    const srvKs = this.srv.srvKeyspace(keyspace);
    if (srvKs === undefined) throw VT.VT05001(keyspace);
    let byType = this.views.get(srvKs);
    if (byType === undefined) {
      byType = new Map();
      this.views.set(srvKs, byType);
    }
    let v = byType.get(tabletType);
    if (v === undefined) {
      const want = TABLET_TYPE_NUMBER[tabletType] ?? 1;
      const part = srvKs.partitions.find((p) => p.servedType === want) ?? srvKs.partitions.find((p) => p.servedType === 1);
      const refs = (part?.shardReferences ?? []).map((r): ShardRef => ({ name: r.name, keyRange: r.keyRange ?? null }));
      const one = new Map(refs.map((r) => [r.name, Object.freeze([Object.freeze({ keyspace, shard: r.name, tabletType })])] as const));
      v = { refs, one };
      byType.set(tabletType, v);
    }
    return v;
  }
}
