import { canBind } from "./port-picker.js";

/**
 * Thrown by startCluster when a process cannot listen on its port because someone else holds it: at once with fixed
 * ports, after a few fresh picks with `ports: 'auto'`. The message names the process and the port(s).
 */
export class PortInUseError extends Error {
  override readonly name = "PortInUseError";
  constructor(readonly processName: string, readonly ports: readonly number[], message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** True when a start error or log text says a bind failed on a taken address (Node, grpc-js, etcd, MariaDB wording). */
export function isAddrInUse(text: string): boolean {
  return /EADDRINUSE|address already in use/i.test(text);
}

/** The ports of `ports` that cannot be bound on `host` right now (someone listens on or otherwise holds them). */
export async function takenPorts(ports: readonly number[], host = "127.0.0.1"): Promise<number[]> {
  const free = await Promise.all(ports.map((p) => canBind(p, host)));
  return ports.filter((_, i) => !free[i]);
}

/** The ports of `ports` that `text` mentions (a bind error names the address it failed on). */
export function portsNamedIn(text: string, ports: readonly number[]): number[] {
  return ports.filter((p) => new RegExp(`(^|\\D)${p}(\\D|$)`).test(text));
}
