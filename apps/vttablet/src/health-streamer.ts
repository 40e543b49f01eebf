import type { SchemaEngine } from "./schema-engine.js";
import type { ServingState, TabletServer } from "./tablet-server.js";

/** One health report, shaped like query.StreamHealthResponse (init form). */
export interface HealthReport {
  target: { keyspace: string; shard: string; tabletType: number; cell: string };
  serving: boolean;
  primaryTermStartTimestamp: bigint;
  realtimeStats: { healthError: string; replicationLagSeconds: number; qps: number; tableSchemaChanged: string[] };
  tabletAlias: { cell: string; uid: number };
}

/** Where replication lag comes from: seconds behind the primary, or an error text when replication is broken. */
export type LagProbe = () => Promise<{ lagSeconds: number; error: string }>;

/**
 * Produces StreamHealth reports: one immediately, one whenever the serving state changes, and one every
 * `intervalMs` (Vitess's --health_check_interval) with replication lag re-measured on non-primary tablets. With a
 * schema engine (--queryserver-config-schema-change-signal), each stream also gets one report per schema change
 * whose realtime_stats.table_schema_changed names the changed tables (vtgate's schema tracker reloads those).
 */
export class HealthStreamer {
  private lag = { lagSeconds: 0, error: "" };
  private lastQueries = 0;
  private lastTick = Date.now();
  private qps = 0;

  constructor(
    private readonly ts: TabletServer,
    private readonly alias: { cell: string; uid: number },
    private readonly probe: LagProbe,
    private readonly intervalMs: number,
    private readonly schema?: SchemaEngine,
  ) {}

  /** Re-measures lag and QPS (also called by the periodic tick). */
  async refresh(): Promise<void> {
    const s = this.ts.state;
    this.lag = s.tabletType === 1 ? { lagSeconds: 0, error: "" } : await this.probe().catch((e: unknown) =>
      ({ lagSeconds: 0, error: e instanceof Error ? e.message : String(e) }));
    const now = Date.now();
    this.qps = ((this.ts.queries - this.lastQueries) * 1000) / Math.max(1, now - this.lastTick);
    this.lastQueries = this.ts.queries;
    this.lastTick = now;
  }

  /** The current report; `tableSchemaChanged` lists tables changed since this stream's previous report. */
  report(tableSchemaChanged: string[] = []): HealthReport {
    const s: ServingState = this.ts.state;
    return {
      target: { keyspace: s.keyspace, shard: s.shard, tabletType: s.tabletType, cell: this.alias.cell },
      serving: s.serving,
      primaryTermStartTimestamp: BigInt(s.primaryTermStartTime),
      realtimeStats: { healthError: this.lag.error, replicationLagSeconds: this.lag.lagSeconds, qps: this.qps, tableSchemaChanged },
      tabletAlias: { ...this.alias },
    };
  }

  /** Reports until `signal` aborts. */
  async *stream(signal: AbortSignal): AsyncIterable<HealthReport> {
    let wake: (() => void) | undefined;
    let dirty = true;
    const poke = () => { dirty = true; const w = wake; wake = undefined; w?.(); };
    const changed = new Set<string>();
    const onSchema = (tables: string[]) => { for (const t of tables) changed.add(t); poke(); };
    const timer = setInterval(() => { this.refresh().then(poke, poke); }, this.intervalMs);
    this.ts.on("state", poke);
    this.schema?.on("changed", onSchema);
    signal.addEventListener("abort", poke);
    try {
      await this.refresh();
      while (!signal.aborted) {
        if (dirty) {
          dirty = false;
          const tables = [...changed].sort();
          changed.clear();
          yield this.report(tables);
          continue;
        }
        await new Promise<void>((r) => { wake = r; });
      }
    } finally {
      clearInterval(timer);
      this.ts.off("state", poke);
      this.schema?.off("changed", onSchema);
      signal.removeEventListener("abort", poke);
    }
  }
}
