// Per-method (de)serializers and grpc-js service definitions built from protobuf-es descriptors.
import type * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary, type DescMessage, type DescMethod, type DescService } from "@bufbuild/protobuf";

/** A grpc-js serializer for `schema`: accepts a message or its init shape, no extra copy of the bytes. */
export function serializerFor(schema: DescMessage): (value: unknown) => Buffer {
  return (value) => {
    const u = toBinary(schema, create(schema, value as never));
    return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  };
}

/** A grpc-js deserializer for `schema` (bytes fields are views into the received buffer). */
export function deserializerFor(schema: DescMessage): (buf: Buffer) => unknown {
  return (buf) => fromBinary(schema, buf);
}

/** The gRPC path of a method: "/package.Service/Method". */
export const methodPath = (m: DescMethod): string => `/${m.parent.typeName}/${m.name}`;

/** A grpc-js method definition for one protobuf-es method. */
export function methodDefinition(m: DescMethod): grpc.MethodDefinition<unknown, unknown> {
  return {
    path: methodPath(m),
    originalName: m.localName,
    requestStream: m.methodKind === "client_streaming" || m.methodKind === "bidi_streaming",
    responseStream: m.methodKind === "server_streaming" || m.methodKind === "bidi_streaming",
    requestSerialize: serializerFor(m.input),
    requestDeserialize: deserializerFor(m.input),
    responseSerialize: serializerFor(m.output),
    responseDeserialize: deserializerFor(m.output),
  };
}

/** A grpc-js service definition keyed by the methods' local (lowerCamel) names. */
export function serviceDefinition(svc: DescService): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const m of svc.methods) def[m.localName] = methodDefinition(m);
  return def as grpc.ServiceDefinition;
}
