// Frames written during one event-loop turn, sent in one socket write at the next setImmediate (both ends of the
// mux port use it, so a burst of calls or answers costs one syscall).
import { Out } from "./proto-wire.js";

/** Collects the frames of a turn and hands them to `write` as one buffer (skipped when `write` is not ready). */
export class TurnWriter {
  #out: Out | undefined;
  #scheduled = false;

  /** `write` receives the turn's bytes; it decides whether the socket can still take them. */
  constructor(private readonly write: (bytes: Buffer) => void) {}

  /** This turn's buffer; the first use in a turn schedules the write. */
  output(): Out {
    if (this.#out === undefined) this.#out = new Out(2048) /* < 4 KiB: from Node's buffer pool */;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
    return this.#out;
  }

  /** One length-prefixed frame holding `bytes`. */
  frame(bytes: Uint8Array): void {
    const o = this.output();
    const at = o.beginFrame();
    o.raw(bytes);
    o.endFrame(at);
  }

  /** Forgets the frames not yet written (their connection broke). */
  drop(): void {
    this.#out = undefined;
  }

  /** Writes what the turn has so far now (big stream chunks do not wait for the turn's end). */
  flush(): void {
    this.#scheduled = false;
    const o = this.#out;
    this.#out = undefined;
    if (o !== undefined && o.pos > 0) this.write(o.take());
  }
}
