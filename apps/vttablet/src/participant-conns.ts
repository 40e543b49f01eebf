import { SqlError } from "@vt/errors";
import type { TabletAlias } from "@vt/proto/topodata";
import { GrpcQueryService, type QueryService } from "@vt/tablet-client";
import type { TopoServer } from "@vt/topo";
import type { ParticipantCaller } from "./dt-resolver.js";
import type { DtParticipant } from "./two-pc.js";

/**
 * Reaches the current primary of a participant shard (shard record → primary alias → tablet record in topo) over
 * Vitess's unary Query RPCs, keeping one client per tablet address.
 */
export class ParticipantConns implements ParticipantCaller {
  private readonly clients = new Map<string, QueryService>();

  constructor(private readonly topo: TopoServer) {}

  async commitPrepared(p: DtParticipant, dtid: string): Promise<void> {
    await (await this.client(p)).commitPrepared({ keyspace: p.keyspace, shard: p.shard, tabletType: 1 }, dtid);
  }

  async rollbackPrepared(p: DtParticipant, dtid: string): Promise<void> {
    await (await this.client(p)).rollbackPrepared({ keyspace: p.keyspace, shard: p.shard, tabletType: 1 }, dtid, 0n);
  }

  /** Closes every client. */
  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private async client(p: DtParticipant): Promise<QueryService> {
    const shard = (await this.topo.getShard(p.keyspace, p.shard)).value;
    if (!shard.primaryAlias) throw new SqlError(1105, "HY000", `no primary for ${p.keyspace}/${p.shard}`, "UNAVAILABLE");
    const t = (await this.topo.getTablet(shard.primaryAlias as TabletAlias)).value;
    const addr = `${t.hostname}:${t.portMap["grpc"] ?? 0}`;
    let c = this.clients.get(addr);
    if (c === undefined) {
      c = new GrpcQueryService(addr, { multiplex: false, timeoutMs: 10_000 });
      this.clients.set(addr, c);
    }
    return c;
  }
}
