import { normalizeRoot } from "../topo-path.js";
import { MemoryStore } from "./memory-store.js";
import { MemoryTopoConn } from "./memory-topo-conn.js";

/** Operations whose failure can be injected with {@link MemoryTopoFactory.injectError}. */
export type MemoryTopoOp = "get" | "create" | "update" | "delete" | "listDir" | "lock" | "watch" | "watchRecursive";

/**
 * An in-process topo: one store shared by every conn it opens (like one etcd cluster), so a global conn and
 * cell conns can be opened on different roots of the same factory. Used by unit tests.
 */
export class MemoryTopoFactory {
  /** The shared key space. */
  readonly store = new MemoryStore();
  private readonly errors = new Map<MemoryTopoOp | "*", Error>();
  private nextLease = 1;

  /** Opens a conn on `root` (e.g. `/vitess/global`). Conns on the same root see the same data. */
  conn(root: string): MemoryTopoConn {
    return new MemoryTopoConn(this, normalizeRoot(root));
  }

  /**
   * Makes every later call of `op` (or of every op, with "*") throw `err`, until cleared with `null`.
   * Follows Vitess's memorytopo `SetError`.
   */
  injectError(op: MemoryTopoOp | "*", err: Error | null): void {
    if (err === null) this.errors.delete(op);
    else this.errors.set(op, err);
  }

  /** Throws the injected error for `op`, if any. */
  checkError(op: MemoryTopoOp): void {
    const e = this.errors.get(op) ?? this.errors.get("*");
    if (e !== undefined) throw e;
  }

  /** Allocates a new lease id. */
  newLeaseId(): number {
    return this.nextLease++;
  }
}
