/** Topo error codes, as in Vitess's topo/errors.go. */
export type TopoErrorCode = "NoNode" | "NodeExists" | "NodeNotEmpty" | "BadVersion" | "Timeout" | "Interrupted" | "PartialResult" | "NoUpdateNeeded" | "NoImplementation" | "ResourceExhausted";

/** An error from the topology service; `node` is the path it concerns. */
export class TopoError extends Error {
  override readonly name = "TopoError";
  constructor(readonly code: TopoErrorCode, readonly node: string, message?: string, options?: ErrorOptions) {
    super(message ?? `${code}: ${node}`, options);
  }
  static override [Symbol.hasInstance](v: unknown): boolean {
    return isTopoError(v);
  }
}

/** Shape-based guard; `code` narrows to one code when given. */
export function isTopoError(v: unknown, code?: TopoErrorCode): v is TopoError {
  return (
    typeof v === "object" && v !== null && (v as { name?: unknown }).name === "TopoError" &&
    (code === undefined || (v as { code?: unknown }).code === code)
  );
}
