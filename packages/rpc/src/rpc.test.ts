import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, createFileRegistry, fromBinary, type DescFile } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { GenService } from "@bufbuild/protobuf/codegenv2";
import { SqlError, TopoError, isSqlError, isTopoError } from "@vt/errors";
import { file_query, ExecuteRequestSchema, ExecuteResponseSchema, type ExecuteRequest } from "@vt/proto/query";
import { Query } from "@vt/proto/queryservice";
import * as reflV1 from "@vt/proto/grpc/reflection/v1";
import * as reflV1alpha from "@vt/proto/grpc/reflection/v1alpha";
import { bindService, createClient, startServer, type StartedServer } from "./index.js";

const enc = new TextEncoder();

// A service with a client-streaming method (none of the Vitess services has one), built at runtime.
const testFile: DescFile = createFileRegistry(create(FileDescriptorProtoSchema, {
  name: "vttest.proto", package: "vttest", dependency: ["query.proto"], syntax: "proto3",
  service: [{ name: "Test", method: [{ name: "Collect", inputType: ".query.ExecuteRequest", outputType: ".query.ExecuteResponse", clientStreaming: true }] }],
}), (name) => (name === "query.proto" ? file_query : undefined)).getFile("vttest.proto") as DescFile;
type TestShape = { collect: { methodKind: "client_streaming"; input: typeof ExecuteRequestSchema; output: typeof ExecuteResponseSchema } };
const TestService = testFile.services[0] as unknown as GenService<TestShape>;

let srv: StartedServer;
let addr: string;
let slowAborted = false;

beforeAll(async () => {
  srv = await startServer("127.0.0.1", 0, [
    bindService(Query, {
      async execute(req, ctx) {
        const sql = req.query?.sql ?? "";
        if (sql === "dup") throw new SqlError(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'", "ALREADY_EXISTS");
        if (sql === "topo") throw new TopoError("NoNode", "/keyspaces/ks/Keyspace");
        if (sql === "slow") {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 5000);
            ctx.signal.addEventListener("abort", () => { clearTimeout(t); slowAborted = true; resolve(); });
          });
          return {};
        }
        return { result: { info: `ran ${sql} as ${ctx.metadata.get("x-user")[0] ?? "?"}`, rowsAffected: 2n, rows: [{ lengths: [1, -1], values: enc.encode("x") }] } };
      },
      async *streamExecute(req) {
        for (let i = 0; i < 3; i++) yield { result: { info: `${req.query?.sql}#${i}` } };
        if (req.query?.sql === "fail-mid") throw new SqlError(1317, "70100", "interrupted", "CANCELED");
      },
      async multiplex(reqs, ctx) {
        const pending: Promise<void>[] = [];
        for await (const r of reqs) {
          // Answer out of order: later ids first when they are cheaper.
          pending.push((async () => {
            if (r.request.case === "execute") {
              await new Promise((res) => setTimeout(res, r.request.case === "execute" && r.id === 1n ? 30 : 0));
              ctx.send({ id: r.id, last: true, response: { case: "execute", value: { result: { info: r.request.value.query?.sql ?? "" } } } });
            } else {
              ctx.send({ id: r.id, last: true, response: { case: "error", value: { message: "unsupported", code: 12 } } });
            }
          })());
        }
        await Promise.all(pending);
      },
    }),
    bindService(TestService, {
      async collect(reqs) {
        const parts: string[] = [];
        for await (const r of reqs) parts.push(r.query?.sql ?? "");
        return { result: { info: parts.join(",") } };
      },
    }),
  ]);
  addr = `127.0.0.1:${srv.port}`;
});

afterAll(async () => {
  await srv?.close(200);
});

describe("rpc", () => {
  it("unary call with metadata and bytes/bigint fields", async () => {
    const c = createClient(Query, addr);
    try {
      const res = await c.execute({ query: { sql: "select 1" } }, { metadata: { "x-user": "bob" } });
      expect(res.result?.info).toBe("ran select 1 as bob");
      expect(res.result?.rowsAffected).toBe(2n);
      expect(res.result?.rows[0]?.lengths).toEqual([1, -1]);
    } finally {
      c.close();
    }
  });

  it("SqlError thrown in a handler arrives as an equal SqlError", async () => {
    const c = createClient(Query, addr);
    try {
      const err = await c.execute({ query: { sql: "dup" } }).catch((e: unknown) => e);
      expect(isSqlError(err)).toBe(true);
      const e = err as SqlError;
      expect([e.errno, e.sqlState, e.vtCode, e.message]).toEqual([1062, "23000", "ALREADY_EXISTS", "Duplicate entry '1' for key 'PRIMARY'"]);
      const terr = await c.execute({ query: { sql: "topo" } }).catch((x: unknown) => x);
      expect(isTopoError(terr, "NoNode")).toBe(true);
      expect((terr as TopoError).node).toBe("/keyspaces/ks/Keyspace");
    } finally {
      c.close();
    }
  });

  it("unimplemented methods fail with UNIMPLEMENTED", async () => {
    const c = createClient(Query, addr);
    try {
      const err = await c.begin({}).catch((e: unknown) => e);
      expect((err as SqlError).vtCode).toBe("UNIMPLEMENTED");
    } finally {
      c.close();
    }
  });

  it("deadline exceeded cancels the handler", async () => {
    const c = createClient(Query, addr);
    try {
      const t0 = Date.now();
      const err = await c.execute({ query: { sql: "slow" } }, { timeoutMs: 150 }).catch((e: unknown) => e);
      expect((err as SqlError).vtCode).toBe("DEADLINE_EXCEEDED");
      expect(Date.now() - t0).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 50));
      expect(slowAborted).toBe(true);
    } finally {
      c.close();
    }
  });

  it("server streaming, including an error after some messages", async () => {
    const c = createClient(Query, addr);
    try {
      const got: string[] = [];
      for await (const r of c.streamExecute({ query: { sql: "q" } })) got.push(r.result?.info ?? "");
      expect(got).toEqual(["q#0", "q#1", "q#2"]);
      const got2: string[] = [];
      const err = await (async () => {
        for await (const r of c.streamExecute({ query: { sql: "fail-mid" } })) got2.push(r.result?.info ?? "");
      })().catch((e: unknown) => e);
      expect(got2.length).toBe(3);
      expect((err as SqlError).errno).toBe(1317);
    } finally {
      c.close();
    }
  });

  it("client streaming", async () => {
    const c = createClient(TestService, addr);
    try {
      const reqs: ExecuteRequest[] = ["a", "b", "c"].map((sql) => create(ExecuteRequestSchema, { query: { sql } }));
      const res = await c.collect(reqs);
      expect(res.result?.info).toBe("a,b,c");
    } finally {
      c.close();
    }
  });

  it("bidi multiplexing: responses matched by id, out of order", async () => {
    const c = createClient(Query, addr);
    try {
      const s = c.multiplex();
      s.write({ id: 1n, request: { case: "execute", value: { query: { sql: "one" } } } });
      s.write({ id: 2n, request: { case: "execute", value: { query: { sql: "two" } } } });
      s.write({ id: 3n, request: { case: "commit", value: {} } });
      s.end();
      const got = new Map<bigint, string>();
      const order: bigint[] = [];
      for await (const r of s) {
        order.push(r.id);
        got.set(r.id, r.response.case === "execute" ? (r.response.value.result?.info ?? "") : `err:${r.response.case}`);
      }
      expect(got.get(1n)).toBe("one");
      expect(got.get(2n)).toBe("two");
      expect(got.get(3n)).toBe("err:error");
      expect(order[order.length - 1]).toBe(1n);
    } finally {
      c.close();
    }
  });

  it("server reflection lists services and returns file descriptors (v1 and v1alpha)", async () => {
    const c = createClient(reflV1.ServerReflection, addr);
    const ca = createClient(reflV1alpha.ServerReflection, addr);
    try {
      const s = c.serverReflectionInfo();
      s.write({ messageRequest: { case: "listServices", value: "*" } });
      s.write({ messageRequest: { case: "fileContainingSymbol", value: "queryservice.Query" } });
      s.write({ messageRequest: { case: "fileContainingSymbol", value: "nope.Nope" } });
      s.end();
      const res = [];
      for await (const r of s) res.push(r);
      expect(res.length).toBe(3);
      const list = res[0]!.messageResponse;
      expect(list.case).toBe("listServicesResponse");
      const names = list.case === "listServicesResponse" ? list.value.service.map((x) => x.name) : [];
      expect(names).toEqual(expect.arrayContaining(["queryservice.Query", "vttest.Test", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]));
      const fd = res[1]!.messageResponse;
      expect(fd.case).toBe("fileDescriptorResponse");
      const files = fd.case === "fileDescriptorResponse" ? fd.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b).name) : [];
      expect(files[0]).toBe("queryservice.proto");
      expect(files).toEqual(expect.arrayContaining(["query.proto", "topodata.proto", "vtrpc.proto"]));
      expect(res[2]!.messageResponse.case).toBe("errorResponse");

      const sa = ca.serverReflectionInfo();
      sa.write({ messageRequest: { case: "listServices", value: "" } });
      sa.end();
      for await (const r of sa) expect(r.messageResponse.case).toBe("listServicesResponse");
    } finally {
      c.close();
      ca.close();
    }
  });
});
