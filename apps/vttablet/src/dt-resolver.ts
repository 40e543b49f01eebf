import { SqlError } from "@vt/errors";
import type { TabletServer } from "./tablet-server.js";
import { DtState, type DtMetadata, type DtParticipant, type TwoPc } from "./two-pc.js";

/** How the resolver reaches a participant shard's primary (the 2PC participant calls of QueryService). */
export interface ParticipantCaller {
  commitPrepared(p: DtParticipant, dtid: string): Promise<void>;
  rollbackPrepared(p: DtParticipant, dtid: string): Promise<void>;
}

/** Settings of a {@link DtResolver}. */
export interface DtResolverOptions {
  readonly ts: TabletServer;
  readonly twoPc: TwoPc;
  readonly participants: ParticipantCaller;
  /** Time between scans, in ms. */
  readonly intervalMs: number;
  readonly log?: (line: string) => void;
}

/**
 * Finishes abandoned distributed transactions this tablet is metadata manager of (records older than
 * --twopc_abandon_age, i.e. whose coordinating vtgate went away): COMMIT → CommitPrepared on every participant;
 * PREPARE → SetRollback, then RollbackPrepared on every participant; ROLLBACK → RollbackPrepared; then
 * ConcludeTransaction. Runs only while the tablet is a serving PRIMARY; a failed step is retried on the next scan.
 */
export class DtResolver {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: DtResolverOptions) {}

  /** Starts periodic scans. */
  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops scanning and waits for a scan in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One scan: resolves every abandoned transaction; returns how many were concluded. */
  async resolveOnce(): Promise<number> {
    const st = this.o.ts.state;
    if (st.tabletType !== 1 || !st.serving) return 0;
    let done = 0;
    for (const dt of await this.o.twoPc.unresolvedTransactions()) {
      try {
        await this.resolve(dt);
        done++;
      } catch (e) {
        this.o.log?.(`twopc resolver: ${dt.dtid}: ${SqlError.from(e).message}`);
      }
    }
    return done;
  }

  private async resolve(dt: DtMetadata): Promise<void> {
    let state = dt.state;
    if (state === DtState.PREPARE) {
      await this.o.twoPc.setRollback(dt.dtid, 0n);
      state = (await this.o.twoPc.readTransaction(dt.dtid))?.state ?? DtState.ROLLBACK; // StartCommit may have won
    }
    for (const p of dt.participants) {
      if (state === DtState.COMMIT) await this.o.participants.commitPrepared(p, dt.dtid);
      else await this.o.participants.rollbackPrepared(p, dt.dtid);
    }
    await this.o.twoPc.concludeTransaction(dt.dtid);
    this.o.log?.(`twopc resolver: ${dt.dtid} resolved as ${state === DtState.COMMIT ? "COMMIT" : "ROLLBACK"}`);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.resolveOnce().then(() => undefined, (e: unknown) => {
        this.o.log?.(`twopc resolver: ${SqlError.from(e).message}`);
      }).finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.o.intervalMs);
    this.timer.unref?.();
  }
}
