import { SqlError } from "@vt/errors";
import type { StreamHealthResponse } from "@vt/proto/query";
import type { Tablet } from "@vt/proto/topodata";
import type { QueryService } from "@vt/tablet-client";
import { getTabletsByCell, type TopoServer } from "@vt/topo";
import { aliasString, TABLET_TYPE_NAMES, type TabletHealth } from "./tablet-health.js";

export interface TabletGatewayOptions {
  readonly ts: TopoServer;
  readonly cells: readonly string[];
  /**
   * Opens a query service to a tablet's gRPC address ("host:port"); `muxAddress` is its plain-TCP mux port
   * (port_map "mux") when it has one and the mux transport is enabled.
   */
  readonly connect: (address: string, muxAddress?: string) => QueryService;
  /** Use tablets' mux ports when advertised (default: true unless env VT_TABLET_TRANSPORT=grpc). */
  readonly useMuxPort?: boolean;
  readonly log: (msg: string) => void;
  /** How often topo is re-read for new/removed tablets (Vitess --tablet_refresh_interval; default 1 s here). */
  readonly refreshMs?: number;
  /** Delay before re-opening a dead health stream (default 500 ms). */
  readonly retryMs?: number;
  /** Sees every health report after the tablet's state was updated (vtgate's schema tracker listens here). */
  readonly onHealth?: (th: TabletHealth, report: StreamHealthResponse) => void;
}

/**
 * Discovers tablets from topo, keeps one health stream and one query-service connection per tablet, and picks a
 * healthy tablet for a (keyspace, shard, tablet type). A tablet whose health stream dies stops receiving queries
 * until its stream comes back (Vitess's healthcheck + TabletGateway).
 */
export class TabletGateway {
  private readonly tablets = new Map<string, TabletHealth>();
  private rr = 0;
  private closed = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly useMuxPort: boolean;

  constructor(private readonly opts: TabletGatewayOptions) {
    this.useMuxPort = opts.useMuxPort ?? process.env["VT_TABLET_TRANSPORT"] !== "grpc";
  }

  /** Reads topo now and then every refresh interval. */
  async start(): Promise<void> {
    await this.refresh();
    const tick = (): void => {
      this.refreshTimer = setTimeout(() => void this.refresh().finally(() => { if (!this.closed) tick(); }), this.opts.refreshMs ?? 1000);
      this.refreshTimer.unref();
    };
    tick();
  }

  /** Every known tablet, sorted by alias. */
  all(): TabletHealth[] {
    return [...this.tablets.values()].sort((a, b) => a.alias.localeCompare(b.alias));
  }

  /** Waits until every listed (keyspace/shard, type) has a serving tablet, or the timeout passes. */
  async waitForTablets(types: readonly number[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const shards = new Set([...this.tablets.values()].map((t) => `${t.keyspace}/${t.shard}`));
      const ok = shards.size > 0 && [...shards].every((s) => types.every((ty) => this.all().some((t) => `${t.keyspace}/${t.shard}` === s && t.tabletType === ty && t.serving)));
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * A serving tablet for the target. Replicas are chosen round-robin. Throws SqlError (UNAVAILABLE, 1105/HY000)
   * naming the target when there is none, as Vitess does ("no healthy tablet available").
   */
  pick(keyspace: string, shard: string, tabletType: number): TabletHealth {
    // Hot path: no allocation when there is one candidate (the usual primary).
    let first: TabletHealth | undefined;
    let count = 0;
    for (const t of this.tablets.values()) {
      if (t.serving && t.tabletType === tabletType && t.shard === shard && t.keyspace === keyspace) {
        if (count++ === 0) first = t;
      }
    }
    if (first === undefined) {
      const typeName = (TABLET_TYPE_NAMES[tabletType] ?? String(tabletType));
      throw new SqlError(1105, "HY000",
        `target: ${keyspace}.${shard}.${typeName.toLowerCase()}: no healthy tablet available for 'keyspace:"${keyspace}" shard:"${shard}" tablet_type:${typeName}'`,
        "UNAVAILABLE");
    }
    if (count === 1) return first;
    let n = this.rr++ % count;
    for (const t of this.tablets.values()) {
      if (t.serving && t.tabletType === tabletType && t.shard === shard && t.keyspace === keyspace && n-- === 0) return t;
    }
    return first;
  }

  /** The tablet with this alias (`zone1-0000000100`), if known. */
  get(alias: string): TabletHealth | undefined {
    return this.tablets.get(alias);
  }

  /** Marks a tablet not serving after a connection-level failure (its health stream will bring it back). */
  markUnhealthy(alias: string, why: string): void {
    const t = this.tablets.get(alias);
    if (t) { t.serving = false; t.lastError = why; }
  }

  close(): void {
    this.closed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const t of this.tablets.values()) { t.stop(); t.conn.close(); }
    this.tablets.clear();
  }

  private async refresh(): Promise<void> {
    const seen = new Set<string>();
    for (const cell of this.opts.cells) {
      let tablets: Tablet[];
      try {
        tablets = await getTabletsByCell(this.opts.ts, cell);
      } catch (e) {
        this.opts.log(`tablet discovery in ${cell}: ${(e as Error).message}`);
        return; // topo unreachable: keep the tablets we know
      }
      for (const tablet of tablets) {
        const alias = aliasString(tablet.alias);
        seen.add(alias);
        this.upsert(alias, tablet);
      }
    }
    for (const [alias, t] of this.tablets) {
      if (!seen.has(alias)) { t.stop(); t.conn.close(); this.tablets.delete(alias); }
    }
  }

  private upsert(alias: string, tablet: Tablet): void {
    const addr = `${tablet.hostname || "127.0.0.1"}:${tablet.portMap["grpc"] ?? 0}`;
    const mux = this.muxAddress(tablet);
    const known = this.tablets.get(alias);
    if (known) {
      const oldAddr = `${known.tablet.hostname || "127.0.0.1"}:${known.tablet.portMap["grpc"] ?? 0}`;
      if (oldAddr === addr && this.muxAddress(known.tablet) === mux) { known.tablet = tablet; return; }
      known.stop(); known.conn.close(); this.tablets.delete(alias);
    }
    this.tablets.set(alias, this.watch(alias, tablet, mux ? this.opts.connect(addr, mux) : this.opts.connect(addr)));
  }

  private muxAddress(tablet: Tablet): string | undefined {
    const port = tablet.portMap["mux"];
    return this.useMuxPort && port ? `${tablet.hostname || "127.0.0.1"}:${port}` : undefined;
  }

  private watch(alias: string, tablet: Tablet, conn: QueryService): TabletHealth {
    let stopped = false;
    const th: TabletHealth = {
      alias, tablet, conn, keyspace: tablet.keyspace, shard: tablet.shard, tabletType: tablet.type, serving: false,
      replicationLagSeconds: 0, primaryTermStartTimestamp: 0n, lastError: "", stop: () => { stopped = true; },
    };
    const loop = async (): Promise<void> => {
      while (!stopped && !this.closed) {
        try {
          for await (const h of conn.streamHealth()) {
            if (stopped) break;
            if (h.target) { th.keyspace = h.target.keyspace; th.shard = h.target.shard; th.tabletType = h.target.tabletType; }
            th.serving = h.serving && !(h.realtimeStats?.healthError);
            th.lastError = h.realtimeStats?.healthError ?? "";
            th.replicationLagSeconds = h.realtimeStats?.replicationLagSeconds ?? 0;
            th.primaryTermStartTimestamp = h.primaryTermStartTimestamp;
            this.opts.onHealth?.(th, h);
          }
        } catch (e) {
          th.lastError = (e as Error).message;
        }
        th.serving = false;
        if (!stopped) await new Promise((r) => setTimeout(r, this.opts.retryMs ?? 500));
      }
    };
    void loop();
    return th;
  }
}
