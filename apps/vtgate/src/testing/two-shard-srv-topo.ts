// An SrvTopo over a memory topo serving one keyspace with one table hashed on id over shards -80 and 80- (sbtest and
// sbtest1 unless told): the fixture of the vtgate microbenchmarks and of tests that drive the Executor with stand-in
// tablets.
import { create } from "@bufbuild/protobuf";
import { KeyRangeSchema, SrvKeyspaceSchema } from "@vt/proto/topodata";
import { SrvVSchemaSchema } from "@vt/proto/vschema";
import { newMemoryTopoServer, updateSrvKeyspace, updateSrvVSchema } from "@vt/topo";
import { buildVSchema, defaultVindexRegistry } from "@vt/vindexes";
import { SrvTopo } from "../srv-topo.js";

type MemoryTopo = Awaited<ReturnType<typeof newMemoryTopoServer>>["ts"];

/** A ready SrvTopo for cell zone1 with the keyspace's VSchema and both shards' key ranges, and its topo. */
export async function twoShardSrvTopo(keyspace = "sbtest", table = "sbtest1"): Promise<{ srv: SrvTopo; ts: MemoryTopo }> {
  const { ts } = await newMemoryTopoServer("zone1");
  await updateSrvVSchema(ts, "zone1", create(SrvVSchemaSchema, { keyspaces: { [keyspace]: {
    sharded: true, vindexes: { hash: { type: "hash" } }, tables: { [table]: { columnVindexes: [{ column: "id", name: "hash" }] } },
  } } }));
  await updateSrvKeyspace(ts, "zone1", keyspace, create(SrvKeyspaceSchema, { partitions: [{ servedType: 1, shardReferences: [
    { name: "-80", keyRange: create(KeyRangeSchema, { start: new Uint8Array(), end: Uint8Array.of(0x80) }) },
    { name: "80-", keyRange: create(KeyRangeSchema, { start: Uint8Array.of(0x80), end: new Uint8Array() }) },
  ] }] }));
  const registry = defaultVindexRegistry();
  const srv = new SrvTopo({ ts, cell: "zone1", buildVSchema: (j) => buildVSchema(j as never, registry), log: () => undefined });
  await srv.ready(2000);
  while (srv.srvKeyspace(keyspace) === undefined) await new Promise((r) => setTimeout(r, 10));
  return { srv, ts };
}
