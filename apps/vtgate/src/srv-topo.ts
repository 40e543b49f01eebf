import { toJson } from "@bufbuild/protobuf";
import type { SrvKeyspace } from "@vt/proto/topodata";
import { SrvVSchemaSchema, type SrvVSchema } from "@vt/proto/vschema";
import { followSrvKeyspace, followSrvVSchema, getSrvKeyspaceNames, type TopoServer } from "@vt/topo";
import type { VSchema } from "@vt/vindexes";

/** Builds the routing snapshot from SrvVSchema's proto3 JSON form (injected: @vt/vindexes buildVSchema). */
export type VSchemaBuilder = (srvVSchemaJson: unknown) => VSchema;

export interface SrvTopoOptions {
  readonly ts: TopoServer;
  readonly cell: string;
  readonly buildVSchema: VSchemaBuilder;
  readonly log: (msg: string) => void;
  /** Retry delay after a watch fails or while a record is missing (default 1000 ms). */
  readonly retryMs?: number;
  /** How often the cell's keyspace list is re-read to find SrvKeyspaces not named in the SrvVSchema (default 5000 ms). */
  readonly discoverMs?: number;
}

/**
 * vtgate's serving view of topo (Vitess's srvtopo): follows the cell's SrvVSchema and every keyspace's SrvKeyspace
 * through topo watches (@vt/topo followSrvVSchema/followSrvKeyspace, which re-watch after errors and etcd restarts),
 * and keeps the last good value of each while topo is unreachable, so vtgate keeps serving. `vschema` is rebuilt on
 * each SrvVSchema change; a SrvVSchema that fails to build, or disappears, leaves the previous snapshot in place.
 */
export class SrvTopo {
  private vschemaSnap: VSchema;
  private readonly srvKeyspaces = new Map<string, SrvKeyspace>();
  private readonly keyspaceWatches = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly abort = new AbortController();
  private readonly firstVSchema: Promise<void>;
  private gotFirst: () => void = () => undefined;
  private lastSrv: SrvVSchema | undefined;

  constructor(private readonly opts: SrvTopoOptions) {
    this.vschemaSnap = opts.buildVSchema({ keyspaces: {} });
    this.firstVSchema = new Promise((ok) => { this.gotFirst = ok; });
    void this.followVSchema();
    void this.discoverKeyspaces();
  }

  /** The current routing snapshot (immutable). */
  get vschema(): VSchema {
    return this.vschemaSnap;
  }

  /** The SrvKeyspace of `keyspace` in this cell, if known. */
  srvKeyspace(keyspace: string): SrvKeyspace | undefined {
    return this.srvKeyspaces.get(keyspace);
  }

  /** Names of the keyspaces with a SrvKeyspace in this cell, sorted. */
  keyspaceNames(): string[] {
    return [...this.srvKeyspaces.keys()].sort();
  }

  /** Resolves once the first SrvVSchema has been read (or `timeoutMs` passed). */
  async ready(timeoutMs: number): Promise<void> {
    await Promise.race([this.firstVSchema, new Promise((ok) => setTimeout(ok, timeoutMs).unref())]);
  }

  /** Called after every change (VSchema or SrvKeyspace); vtgate clears its plan cache then. */
  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  /**
   * Builds the VSchema again from the last SrvVSchema (when an input of the builder other than topo changed, e.g.
   * tracked schema) and announces the change. Nothing happens before the first SrvVSchema arrived.
   */
  rebuild(): void {
    if (this.lastSrv) this.applySrvVSchema(this.lastSrv);
  }

  /** Stops every watch. */
  close(): void {
    this.abort.abort();
  }

  private get closed(): boolean {
    return this.abort.signal.aborted;
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  private followOpts(what: string): { signal: AbortSignal; retryDelayMs: number; onError: (e: unknown) => void } {
    return {
      signal: this.abort.signal, retryDelayMs: this.opts.retryMs ?? 1000,
      onError: (e) => { if (!this.closed) this.opts.log(`${what} watch: ${(e as Error)?.message ?? String(e)}; keeping the last value, retrying`); },
    };
  }

  private applySrvVSchema(srv: SrvVSchema): void {
    try {
      this.vschemaSnap = this.opts.buildVSchema(toJson(SrvVSchemaSchema, srv, { useProtoFieldName: true }));
      this.lastSrv = srv;
      for (const ks of Object.keys(srv.keyspaces)) this.followKeyspace(ks);
      this.changed();
    } catch (e) {
      this.opts.log(`SrvVSchema rejected, keeping the previous one: ${(e as Error).message}`);
    }
  }

  private async followVSchema(): Promise<void> {
    try {
      for await (const v of followSrvVSchema(this.opts.ts, this.opts.cell, this.followOpts("SrvVSchema"))) {
        if (v === null) {
          this.opts.log(`no SrvVSchema in cell ${this.opts.cell}; keeping the current VSchema`);
          continue;
        }
        this.applySrvVSchema(v);
        this.gotFirst();
      }
    } catch (e) {
      if (!this.closed) this.opts.log(`SrvVSchema follower stopped: ${(e as Error).message}`);
    }
  }

  private followKeyspace(keyspace: string): void {
    if (this.keyspaceWatches.has(keyspace) || this.closed) return;
    this.keyspaceWatches.add(keyspace);
    const loop = async (): Promise<void> => {
      try {
        for await (const v of followSrvKeyspace(this.opts.ts, this.opts.cell, keyspace, this.followOpts(`SrvKeyspace ${keyspace}`))) {
          if (v === null) {
            if (!this.srvKeyspaces.delete(keyspace)) continue;
          } else {
            this.srvKeyspaces.set(keyspace, v);
          }
          this.changed();
        }
      } catch (e) {
        if (!this.closed) this.opts.log(`SrvKeyspace ${keyspace} follower stopped: ${(e as Error).message}`);
      }
    };
    void loop();
  }

  private async discoverKeyspaces(): Promise<void> {
    while (!this.closed) {
      try {
        for (const ks of await getSrvKeyspaceNames(this.opts.ts, this.opts.cell)) this.followKeyspace(ks);
      } catch {
        // topo unreachable or cell empty: keep what we have
      }
      await new Promise<void>((ok) => {
        const signal = this.abort.signal;
        const done = (): void => { clearTimeout(t); signal.removeEventListener("abort", done); ok(); };
        const t = setTimeout(done, this.opts.discoverMs ?? 5000);
        t.unref();
        signal.addEventListener("abort", done, { once: true });
      });
    }
  }
}
