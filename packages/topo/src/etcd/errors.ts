import { TopoError, isTopoError } from "@vt/errors";
import { ClientClosedError, GRPCCancelledError, GRPCDeadlineExceededError } from "etcd3";

/**
 * Maps etcd3 client errors to TopoError where a topo code fits (deadline → Timeout, cancelled/closed →
 * Interrupted), as Vitess's etcd2topo convertError does; other errors pass through unchanged.
 */
export function convertEtcdError(e: unknown, path: string): unknown {
  if (isTopoError(e)) return e;
  if (e instanceof GRPCDeadlineExceededError) return new TopoError("Timeout", path, `etcd deadline exceeded: ${path}`, { cause: e });
  if (e instanceof GRPCCancelledError || e instanceof ClientClosedError) {
    return new TopoError("Interrupted", path, `etcd call interrupted: ${path}`, { cause: e });
  }
  return e;
}

/** Runs `fn`, converting its errors with {@link convertEtcdError}. */
export async function etcdCall<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw convertEtcdError(e, path);
  }
}
