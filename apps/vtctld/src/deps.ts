import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import { SqlError, type VtCode } from "@vt/errors";
import type { Tablet } from "@vt/proto/topodata";
import type { TabletManager } from "@vt/proto/tabletmanagerservice";
import type { Vtctld } from "@vt/proto/vtctlservice";
import type { Client, ServiceImpl } from "@vt/rpc";
import type { TopoServer } from "@vt/topo";
import type { VindexRegistry } from "@vt/vindexes";

type MethodsOf<T> = T extends GenService<infer S extends GenServiceMethods> ? S : never;
/** The Vtctld service's method map. */
export type VtctldMethods = MethodsOf<typeof Vtctld>;
/** A (partial) Vtctld implementation; missing methods answer UNIMPLEMENTED. */
export type VtctldImpl = Partial<ServiceImpl<VtctldMethods>>;
/** A typed TabletManager client. */
export type TabletManagerClientOf = Client<MethodsOf<typeof TabletManager>>;

/** Hands out TabletManager clients to tablets (by their topo record's host and grpc port). */
export interface TabletManagerClient {
  /** A client for `tablet`. Throws SqlError FAILED_PRECONDITION when the record has no grpc port. */
  forTablet(tablet: Tablet): TabletManagerClientOf;
  close(): void;
}

/** What the Vtctld handlers need: topo, tablet manager clients, the vindex registry, a version string. */
export interface VtctldDeps {
  readonly ts: TopoServer;
  readonly tmc: TabletManagerClient;
  readonly registry: VindexRegistry;
  readonly version: string;
}

/** A SqlError 1105/HY000 with a vtrpc code, which the rpc layer maps to a gRPC status. */
export function vtErr(code: VtCode, message: string): SqlError {
  return new SqlError(1105, "HY000", message, code);
}
