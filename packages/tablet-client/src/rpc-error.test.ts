import { describe, expect, it } from "vitest";
import { Metadata } from "@grpc/grpc-js";
import { SqlError } from "@vt/errors";
import { errorToStatus } from "@vt/rpc";
import { fromGrpcError, fromRpcError } from "./rpc-error.js";

describe("fromRpcError", () => {
  it("takes errno and SQLSTATE from their fields, never from the message", () => {
    const e = fromRpcError({ code: 2, message: "Table 'ks.t' doesn't exist (errno 9) (sqlstate XXXXX)", errno: 1146, sqlstate: "42S02" });
    expect(e).toMatchObject({ errno: 1146, sqlState: "42S02", vtCode: "UNKNOWN", message: "Table 'ks.t' doesn't exist (errno 9) (sqlstate XXXXX)" });
  });

  it("defaults to 1105/HY000 when the sender set none", () => {
    expect(fromRpcError({ code: 10, message: "aborted" })).toMatchObject({ errno: 1105, sqlState: "HY000", vtCode: "ABORTED" });
  });
});

describe("fromGrpcError", () => {
  it("reads the x-vt-* metadata written by @vt/rpc", () => {
    const st = errorToStatus(new SqlError(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'", "ALREADY_EXISTS"));
    const e = fromGrpcError({ ...st, message: st.details });
    expect(e).toMatchObject({ errno: 1062, sqlState: "23000", vtCode: "ALREADY_EXISTS", message: "Duplicate entry '1' for key 'PRIMARY'" });
  });

  it("turns a transport failure into 2013 UNAVAILABLE", () => {
    const e = fromGrpcError({ code: 14, details: "No connection established", metadata: new Metadata() });
    expect(e).toMatchObject({ errno: 2013, sqlState: "HY000", vtCode: "UNAVAILABLE" });
  });
});
