// A grpc-js server with typed service registration, reflection and graceful shutdown.
import * as grpc from "@grpc/grpc-js";
import type { DescService } from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import { channelOptions } from "./create-client.js";
import type { ServiceImpl } from "./handler-types.js";
import { addReflection } from "./reflection.js";
import { serveService } from "./serve-service.js";

/** Options of an RpcServer. */
export interface RpcServerOptions {
  /** Serve gRPC reflection for the registered services (default true). */
  reflection?: boolean;
  /** Max message size in both directions (bytes); default 64 MiB. */
  maxMessageBytes?: number;
  /** Extra grpc-js server options. */
  channelOptions?: grpc.ChannelOptions;
}

/** A gRPC server: register services with `serve`, then `listen`; `close` drains calls then forces. */
export class RpcServer {
  readonly grpc: grpc.Server;
  private readonly services: DescService[] = [];
  private readonly reflection: boolean;
  private boundPort: number | undefined;

  constructor(opts: RpcServerOptions = {}) {
    this.grpc = new grpc.Server(channelOptions(opts.maxMessageBytes, opts.channelOptions));
    this.reflection = opts.reflection ?? true;
  }

  /** Registers `impl` for `svc` (missing methods answer UNIMPLEMENTED). Call before `listen`. */
  serve<S extends GenServiceMethods>(svc: GenService<S>, impl: Partial<ServiceImpl<S>>): this {
    if (this.boundPort !== undefined) throw new Error("RpcServer.serve called after listen");
    serveService(this.grpc, svc, impl);
    this.services.push(svc as unknown as DescService);
    return this;
  }

  /** Binds `bindAddr:port` (port 0 = OS-assigned) and starts serving; resolves with the bound port. */
  listen(bindAddr: string, port: number): Promise<number> {
    if (this.boundPort !== undefined) return Promise.resolve(this.boundPort);
    if (this.reflection) addReflection(this.grpc, this.services);
    const host = bindAddr.includes(":") && !bindAddr.startsWith("[") ? `[${bindAddr}]` : bindAddr;
    return new Promise((resolve, reject) => {
      this.grpc.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
        if (err) reject(err);
        else {
          this.boundPort = bound;
          resolve(bound);
        }
      });
    });
  }

  /** The bound port (after listen). */
  get port(): number | undefined {
    return this.boundPort;
  }

  /**
   * Stops accepting calls and waits up to `graceMs` for running calls to finish, then cancels the rest.
   * Long-lived streams (StreamHealth, Multiplex) are cancelled at the end of the grace period.
   */
  close(graceMs = 2000): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        this.grpc.forceShutdown();
        resolve();
      }, graceMs);
      timer.unref();
      this.grpc.tryShutdown(() => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** One service and its implementation, for `startServer`. */
export interface ServiceBinding {
  readonly register: (server: RpcServer) => void;
}

/** Pairs a service descriptor with its (possibly partial) implementation, keeping the types checked. */
export function bindService<S extends GenServiceMethods>(svc: GenService<S>, impl: Partial<ServiceImpl<S>>): ServiceBinding {
  return { register: (server) => { server.serve(svc, impl); } };
}

/** A started server: its bound port and a graceful close. */
export interface StartedServer {
  readonly port: number;
  readonly server: RpcServer;
  close(graceMs?: number): Promise<void>;
}

/** Creates an RpcServer with `services`, binds `bindAddr:port` (0 = any free port) and starts it. */
export async function startServer(bindAddr: string, port: number, services: readonly ServiceBinding[],
  opts: RpcServerOptions = {}): Promise<StartedServer> {
  const server = new RpcServer(opts);
  for (const s of services) s.register(server);
  const bound = await server.listen(bindAddr, port);
  return { port: bound, server, close: (graceMs?: number) => server.close(graceMs) };
}
