// gRPC server reflection (v1 and v1alpha) answered from the file descriptors protobuf-es embeds in
// generated code, so grpcurl/grpc_cli can list and describe our services.
import type * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary, type DescFile, type DescMessage, type DescService, type MessageShape } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import * as v1 from "@vt/proto/grpc/reflection/v1";
import * as v1alpha from "@vt/proto/grpc/reflection/v1alpha";
import { serveService } from "./serve-service.js";

/** Lookup tables built once per server. */
class ReflectionIndex {
  readonly serviceNames: string[];
  private readonly files = new Map<string, DescFile>();
  private readonly symbols = new Map<string, DescFile>();
  private readonly encoded = new Map<string, Uint8Array>();

  constructor(services: readonly DescService[]) {
    this.serviceNames = services.map((s) => s.typeName);
    for (const s of services) this.addFile(s.file);
  }

  private addFile(f: DescFile): void {
    if (this.files.has(f.name)) return;
    this.files.set(f.name, f);
    this.encoded.set(f.name, toBinary(FileDescriptorProtoSchema, f.proto));
    for (const d of f.dependencies) this.addFile(d);
    for (const e of f.enums) this.symbols.set(e.typeName, f);
    for (const x of f.extensions) this.symbols.set(x.typeName, f);
    for (const s of f.services) {
      this.symbols.set(s.typeName, f);
      for (const m of s.methods) this.symbols.set(`${s.typeName}.${m.name}`, f);
    }
    const addMessage = (m: DescMessage): void => {
      this.symbols.set(m.typeName, f);
      for (const n of m.nestedMessages) addMessage(n);
      for (const e of m.nestedEnums) this.symbols.set(e.typeName, f);
      for (const x of m.nestedExtensions) this.symbols.set(x.typeName, f);
    };
    for (const m of f.messages) addMessage(m);
  }

  /** The file and its transitive dependencies, serialized, requested file first. */
  fileWithDeps(name: string): Uint8Array[] | undefined {
    const f = this.files.get(name);
    if (f === undefined) return undefined;
    const seen = new Set<string>();
    const out: Uint8Array[] = [];
    const visit = (d: DescFile): void => {
      if (seen.has(d.name)) return;
      seen.add(d.name);
      out.push(this.encoded.get(d.name) as Uint8Array);
      for (const dep of d.dependencies) visit(dep);
    };
    visit(f);
    return out;
  }

  fileForSymbol(symbol: string): string | undefined {
    const s = symbol.startsWith(".") ? symbol.slice(1) : symbol;
    return this.symbols.get(s)?.name;
  }
}

type Req = MessageShape<typeof v1.ServerReflectionRequestSchema>;
type Res = MessageShape<typeof v1.ServerReflectionResponseSchema>;

function answer(ix: ReflectionIndex, req: Req): Res {
  const res = create(v1.ServerReflectionResponseSchema, { validHost: req.host, originalRequest: req });
  const notFound = (msg: string): Res => {
    res.messageResponse = { case: "errorResponse", value: create(v1.ErrorResponseSchema, { errorCode: 5, errorMessage: msg }) };
    return res;
  };
  const r = req.messageRequest;
  switch (r.case) {
    case "listServices":
      res.messageResponse = {
        case: "listServicesResponse",
        value: create(v1.ListServiceResponseSchema, { service: ix.serviceNames.map((name) => ({ name })) }),
      };
      return res;
    case "fileByFilename": {
      const files = ix.fileWithDeps(r.value);
      if (files === undefined) return notFound(`file not found: ${r.value}`);
      res.messageResponse = { case: "fileDescriptorResponse", value: create(v1.FileDescriptorResponseSchema, { fileDescriptorProto: files }) };
      return res;
    }
    case "fileContainingSymbol": {
      const name = ix.fileForSymbol(r.value);
      const files = name === undefined ? undefined : ix.fileWithDeps(name);
      if (files === undefined) return notFound(`symbol not found: ${r.value}`);
      res.messageResponse = { case: "fileDescriptorResponse", value: create(v1.FileDescriptorResponseSchema, { fileDescriptorProto: files }) };
      return res;
    }
    case "fileContainingExtension":
      return notFound(`extension not found: ${r.value.containingType}(${r.value.extensionNumber})`);
    case "allExtensionNumbersOfType":
      res.messageResponse = {
        case: "allExtensionNumbersResponse",
        value: create(v1.ExtensionNumberResponseSchema, { baseTypeName: r.value, extensionNumber: [] }),
      };
      return res;
    default:
      res.messageResponse = { case: "errorResponse", value: create(v1.ErrorResponseSchema, { errorCode: 12, errorMessage: "unsupported request" }) };
      return res;
  }
}

/**
 * Serves grpc.reflection.v1 and v1alpha ServerReflection for `services` (the reflection services list
 * themselves too). v1alpha messages have the same fields and numbers as v1, so the bytes are reused.
 */
export function addReflection(server: grpc.Server, services: readonly DescService[]): void {
  const ix = new ReflectionIndex([...services, v1.ServerReflection, v1alpha.ServerReflection]);
  serveService(server, v1.ServerReflection, {
    async *serverReflectionInfo(reqs) {
      for await (const req of reqs) yield answer(ix, req);
    },
  });
  serveService(server, v1alpha.ServerReflection, {
    async *serverReflectionInfo(reqs) {
      for await (const req of reqs) {
        const r = answer(ix, fromBinary(v1.ServerReflectionRequestSchema, toBinary(v1alpha.ServerReflectionRequestSchema, req)));
        yield fromBinary(v1alpha.ServerReflectionResponseSchema, toBinary(v1.ServerReflectionResponseSchema, r));
      }
    },
  });
}
