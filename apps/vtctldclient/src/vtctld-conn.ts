import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";

/** A unary call to vtctld: sends `req`, resolves with the response or rejects with a VtctldCallError. */
export type VtctldCall = <I extends DescMessage, O extends DescMessage>(
  method: DescMethodUnary<I, O>, req: MessageInitShape<I>,
) => Promise<MessageShape<O>>;

/** A failed call: the gRPC status code name and the server's message. */
export class VtctldCallError extends Error {
  override readonly name = "VtctldCallError";
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** An open connection to vtctld. */
export interface VtctldConn {
  readonly call: VtctldCall;
  close(): void;
}

/**
 * Opens a grpc-js channel to vtctld at `server` (`host:port`); each call has a deadline of `timeoutMs`.
 * grpc-js and protobuf-es are loaded lazily so `--help` and argument errors stay fast.
 */
export async function connectVtctld(server: string, timeoutMs: number): Promise<VtctldConn> {
  const [grpc, pb] = await Promise.all([import("@grpc/grpc-js"), import("@bufbuild/protobuf")]);
  const client = new grpc.Client(server, grpc.credentials.createInsecure());
  const call = (<I extends DescMessage, O extends DescMessage>(method: DescMethodUnary<I, O>, req: MessageInitShape<I>) =>
    new Promise<MessageShape<O>>((resolve, reject) => {
      const path = `/${method.parent.typeName}/${method.name}`;
      const msg = pb.create(method.input, req);
      client.makeUnaryRequest(
        path,
        (m: MessageShape<I>) => Buffer.from(pb.toBinary(method.input, m)),
        (b: Buffer) => pb.fromBinary(method.output, b),
        msg,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err, res) => {
          if (err) {
            const code = goCodeName(grpc.status[err.code] ?? String(err.code));
            reject(new VtctldCallError(code, err.details || err.message));
          } else resolve(res!);
        },
      );
    })) as VtctldCall;
  return { call, close: () => client.close() };
}

/** gRPC status names as Go prints them (`NOT_FOUND` → `NotFound`). */
export function goCodeName(name: string): string {
  return name.toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}
