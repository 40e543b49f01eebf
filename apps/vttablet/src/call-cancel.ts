/**
 * The caller's side of giving up on one call (the mux `cancel_id`, or its connection closing): `abort()` marks it and
 * runs the hook the running statement registered (KILL QUERY). A plain object per call instead of an AbortController:
 * creating an AbortSignal and adding/removing its listener costs several µs per query on Node 20.
 */
export class CallCancel {
  /** True once abort() was called. */
  aborted = false;
  /** Stopped (killNow) by abort() while set; the running statement sets it and clears it when done. */
  onAbort: { killNow(): void } | undefined = undefined;

  /** Gives up on the call (idempotent). */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const f = this.onAbort;
    this.onAbort = undefined;
    f?.killNow();
  }
}
