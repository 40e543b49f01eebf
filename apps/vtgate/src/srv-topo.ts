import { toJson } from "@bufbuild/protobuf";
import type { SrvKeyspace } from "@vt/proto/topodata";
import { SrvVSchemaSchema, type SrvVSchema } from "@vt/proto/vschema";
import { getSrvKeyspaceNames, watchSrvKeyspace, watchSrvVSchema, type TopoServer } from "@vt/topo";
import type { VSchema } from "@vt/vindexes";

/** Builds the routing snapshot from SrvVSchema's proto3 JSON form (injected: @vt/vindexes buildVSchema). */
export type VSchemaBuilder = (srvVSchemaJson: unknown) => VSchema;

export interface SrvTopoOptions {
  readonly ts: TopoServer;
  readonly cell: string;
  readonly buildVSchema: VSchemaBuilder;
  readonly log: (msg: string) => void;
  /** Retry delay after a watch fails or a record is missing (default 1000 ms). */
  readonly retryMs?: number;
}

/**
 * vtgate's serving view of topo (Vitess's srvtopo): watches the cell's SrvVSchema and every keyspace's
 * SrvKeyspace, and keeps the last good value of each when topo is unreachable, so vtgate keeps serving.
 * `vschema` is rebuilt on each SrvVSchema change; a SrvVSchema that fails to build keeps the previous snapshot.
 */
export class SrvTopo {
  private vschemaSnap: VSchema;
  private readonly srvKeyspaces = new Map<string, SrvKeyspace>();
  private readonly keyspaceWatches = new Set<string>();
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private readonly cancels = new Set<() => void>();
  private firstVSchema: Promise<void>;

  constructor(private readonly opts: SrvTopoOptions) {
    this.vschemaSnap = opts.buildVSchema({ keyspaces: {} });
    this.firstVSchema = new Promise((ok) => this.watchVSchema(ok));
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

  close(): void {
    this.closed = true;
    for (const c of this.cancels) c();
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  private applySrvVSchema(srv: SrvVSchema): void {
    try {
      this.vschemaSnap = this.opts.buildVSchema(toJson(SrvVSchemaSchema, srv, { useProtoFieldName: true }));
      for (const ks of Object.keys(srv.keyspaces)) this.watchKeyspace(ks);
      this.changed();
    } catch (e) {
      this.opts.log(`SrvVSchema rejected, keeping the previous one: ${(e as Error).message}`);
    }
  }

  private watchVSchema(first: () => void): void {
    const loop = async (): Promise<void> => {
      while (!this.closed) {
        try {
          const w = await watchSrvVSchema(this.opts.ts, this.opts.cell);
          this.cancels.add(w.cancel);
          this.applySrvVSchema(w.current);
          first();
          for await (const v of w.changes) {
            if (v !== null) this.applySrvVSchema(v);
          }
          this.cancels.delete(w.cancel);
        } catch (e) {
          if (!this.closed) this.opts.log(`SrvVSchema watch: ${(e as Error).message}; retrying`);
        }
        await this.sleep();
      }
    };
    void loop();
  }

  private watchKeyspace(keyspace: string): void {
    if (this.keyspaceWatches.has(keyspace)) return;
    this.keyspaceWatches.add(keyspace);
    const loop = async (): Promise<void> => {
      while (!this.closed) {
        try {
          const w = await watchSrvKeyspace(this.opts.ts, this.opts.cell, keyspace);
          this.cancels.add(w.cancel);
          this.srvKeyspaces.set(keyspace, w.current);
          this.changed();
          for await (const v of w.changes) {
            if (v === null) this.srvKeyspaces.delete(keyspace);
            else this.srvKeyspaces.set(keyspace, v);
            this.changed();
          }
          this.cancels.delete(w.cancel);
        } catch (e) {
          if (!this.closed && !/NoNode/.test(String((e as Error).message))) {
            this.opts.log(`SrvKeyspace ${keyspace} watch: ${(e as Error).message}; retrying`);
          }
        }
        await this.sleep();
      }
    };
    void loop();
  }

  private async discoverKeyspaces(): Promise<void> {
    while (!this.closed) {
      try {
        for (const ks of await getSrvKeyspaceNames(this.opts.ts, this.opts.cell)) this.watchKeyspace(ks);
      } catch {
        // topo unreachable or cell empty: keep what we have
      }
      await this.sleep(5000);
    }
  }

  private sleep(ms = this.opts.retryMs ?? 1000): Promise<void> {
    return new Promise((ok) => setTimeout(ok, ms).unref());
  }
}
